#include "master/interval_intake.hpp"

namespace stampede::master {

wall_clock::time_point covered_by(std::int64_t covered_until_ms, wall_clock::time_point now) {
    if (covered_until_ms <= 0) return now;
    const wall_clock::time_point said{
        std::chrono::duration_cast<wall_clock::duration>(std::chrono::milliseconds(covered_until_ms))};
    return said < now ? said : now;
}

interval_intake::interval_intake(std::size_t endpoints, std::size_t checks, std::size_t classes, common::micros interval)
    : endpoints_(endpoints), checks_(checks), classes_(classes), interval_(interval), pending_(empty()) {}

common::result<interval_intake::admitted> interval_intake::admit(const std::string& worker_id,
                                                                 const wire::received_snapshot& snapshot,
                                                                 const wire::snapshot_counts& allowance,
                                                                 wall_clock::time_point now) {
    const auto covered = covered_by(snapshot.covered_until_ms(), now);
    // Its counts end in a row already made: kept apart, to be placed in that row, not the next.
    const bool late = closed_until_ && covered < *closed_until_ + interval_ / 5;
    stats::stats_delta late_delta;
    if (late) late_delta = empty();
    if (auto merged = wire::merge_snapshot(snapshot.message(), endpoints_, late ? late_delta : pending_, scratch_, allowance);
        !merged)
        return common::fail(merged.error());
    if (late) {
        if (!late_delta.empty()) late_.push_back({worker_id, covered, std::move(late_delta)});
    } else if (!pending_covered_until_ || covered > *pending_covered_until_) {
        pending_covered_until_ = covered;
    }
    return admitted{scratch_.counts, covered};
}

stats::stats_delta interval_intake::take(std::optional<wall_clock::time_point>& covered_until) {
    auto out = empty();
    std::swap(out, pending_);
    covered_until = std::exchange(pending_covered_until_, std::nullopt);
    return out;
}

void interval_intake::close(wall_clock::time_point row_end) {
    if (!closed_until_ || row_end > *closed_until_) closed_until_ = row_end;
}

void interval_intake::reshape(std::size_t classes) {
    classes_ = classes;
    pending_ = empty();
}

}  // namespace stampede::master
