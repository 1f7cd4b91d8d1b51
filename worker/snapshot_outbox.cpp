#include "worker/snapshot_outbox.hpp"

#include <algorithm>

namespace stampede::worker {

void snapshot_outbox::start_run(std::uint64_t acknowledged) {
    kept_.clear();
    next_sequence_ = acknowledged + 1;
    last_sent_sequence_ = acknowledged;
    requests_ = 0;
    merged_ = 0;
}

void snapshot_outbox::add(stats::stats_delta delta, std::int64_t taken_ms, bool keep_apart) {
    if (delta.empty()) return;
    requests_ += delta.total_requests();
    const bool newest_waits = !kept_.empty() && !kept_.back().sent;
    // Behind: merged only into one never sent, so a resend after a reconnect keeps its own span.
    const bool merge_behind =
        !keep_apart && newest_waits && kept_.back().sequence > last_sent_sequence_ && behind(taken_ms);
    if (newest_waits && (kept_.size() >= capacity_ || merge_behind)) {
        kept_.back().delta.merge(delta);
        kept_.back().covered_until_ms = taken_ms;  // it covers up to the newer one now
        ++merged_;
        return;
    }
    kept_.push_back({next_sequence_++, std::move(delta), false, taken_ms});
}

bool snapshot_outbox::behind(std::int64_t now_ms) const {
    if (in_flight() >= max_in_flight_) return true;
    const auto oldest = std::find_if(kept_.begin(), kept_.end(), [](const auto& s) { return s.sent; });
    return oldest != kept_.end() && oldest->sent_ms > 0 && now_ms > 0 && now_ms - oldest->sent_ms >= behind_after_ms_;
}

std::size_t snapshot_outbox::in_flight() const {
    return static_cast<std::size_t>(std::count_if(kept_.begin(), kept_.end(), [](const auto& s) { return s.sent; }));
}

void snapshot_outbox::acknowledge(std::uint64_t sequence) {
    while (!kept_.empty() && kept_.front().sequence <= sequence) kept_.pop_front();
}

void snapshot_outbox::resend_after(std::uint64_t acknowledged) {
    acknowledge(acknowledged);
    for (auto& s : kept_) s.sent = false;
}

std::optional<std::size_t> snapshot_outbox::send_unsent(
    const std::function<bool(const outgoing_snapshot&, bool last)>& write, bool everything, std::int64_t now_ms) {
    const auto unsent = static_cast<std::size_t>(
        std::count_if(kept_.begin(), kept_.end(), [](const auto& s) { return !s.sent; }));
    const auto flying = kept_.size() - unsent;
    std::size_t sending = everything ? unsent : std::min(unsent, max_in_flight_ > flying ? max_in_flight_ - flying : 0);
    // Behind by time: the newest unsent waits for an acknowledgement, gathering later intervals.
    if (!everything && sending > 0 && behind(now_ms)) sending = 0;
    std::size_t sent = 0;
    for (auto& s : kept_) {
        if (sent == sending) break;
        if (s.sent) continue;
        if (!write(s, sent + 1 == sending)) return std::nullopt;
        s.sent = true;
        s.sent_ms = now_ms;
        last_sent_sequence_ = std::max(last_sent_sequence_, s.sequence);
        ++sent;
    }
    return sent;
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
