#include "worker/snapshot_outbox.hpp"

namespace stampede::worker {

void snapshot_outbox::start_run(std::uint64_t acknowledged) {
    kept_.clear();
    next_sequence_ = acknowledged + 1;
    requests_ = 0;
}

void snapshot_outbox::add(stats::stats_delta delta, std::int64_t taken_ms) {
    if (delta.empty()) return;
    requests_ += delta.total_requests();
    if (kept_.size() >= capacity_ && !kept_.back().sent) {
        kept_.back().delta.merge(delta);
        kept_.back().covered_until_ms = taken_ms;  // it covers up to the newer one now
        return;
    }
    kept_.push_back({next_sequence_++, std::move(delta), false, taken_ms});
}

void snapshot_outbox::acknowledge(std::uint64_t sequence) {
    while (!kept_.empty() && kept_.front().sequence <= sequence) kept_.pop_front();
}

void snapshot_outbox::resend_after(std::uint64_t acknowledged) {
    acknowledge(acknowledged);
    for (auto& s : kept_) s.sent = false;
}

bool snapshot_outbox::send_unsent(const std::function<bool(const outgoing_snapshot&, bool last)>& write) {
    for (std::size_t i = 0; i < kept_.size(); ++i) {
        auto& s = kept_[i];
        if (s.sent) continue;
        if (!write(s, i + 1 == kept_.size())) return false;
        s.sent = true;
    }
    return true;
}

std::chrono::steady_clock::time_point next_aligned_snapshot(common::micros interval, const std::string& worker_id) {
    using steady = std::chrono::steady_clock;
    const auto since_epoch =
        std::chrono::duration_cast<common::micros>(std::chrono::system_clock::now().time_since_epoch());
    const auto offset = common::micros(static_cast<common::micros::rep>(
        std::hash<std::string>{}(worker_id) % static_cast<std::size_t>(interval.count() / 10 + 1)));
    auto wait = interval - since_epoch % interval + offset;
    if (wait > interval) wait -= interval;
    return steady::now() + std::chrono::duration_cast<steady::duration>(wait);
}

}  // namespace stampede::worker
