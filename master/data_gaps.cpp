#include "master/data_gaps.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace stampede::master {

// What of a worker's counts may be missing from the result, if anything. A worker lost for
// good took with it what it counted after its last snapshot that arrived, until its own master
// timeout stopped its users: at most that span, estimated at its last rate. Counts it says it
// made that never arrived (refused, or lost on the way) are known exactly, and leave the result
// untrustworthy.
std::optional<data_gap> data_gap_of(const worker_entry& w, wall_clock::time_point start, wall_clock::time_point end,
                                    common::micros snapshot_interval) {
    const auto since_start = [&](wall_clock::time_point t) { return std::chrono::duration<double>(t - start).count(); };
    data_gap gap;
    gap.worker = w.label();
    gap.known_missing = w.reported_requests > w.requests ? w.reported_requests - w.requests : 0;
    gap.from_s = std::max(0.0, since_start(w.last_covered_wall.value_or(w.last_applied_wall.value_or(start))));
    if (w.state == worker_state::lost) {
        // Its users ran until its own rule stopped them: its master timeout after the last word
        // the master sent it (a worker that said no timeout: until it was last heard, or the end).
        const auto stopped = w.master_timeout.count() > 0 && w.last_sent_wall != wall_clock::time_point{}
                                 ? w.last_sent_wall + std::chrono::duration_cast<wall_clock::duration>(w.master_timeout)
                                 : std::max(w.last_seen_wall, std::min(end, w.lost_at));
        gap.to_s = std::max(gap.from_s, since_start(stopped));
        const double interval_s = std::chrono::duration<double>(snapshot_interval).count();
        const double rate = static_cast<double>(w.last_snapshot_requests) / interval_s;
        gap.estimated_missing = static_cast<std::uint64_t>(rate * (gap.to_s - gap.from_s) + 0.5);
        const auto silent = std::chrono::duration_cast<common::micros>(w.lost_after);
        gap.reason = fmt::format("lost at {:.1f}s (silent for {}) and did not come back: what it counted from its "
                                 "last snapshot that arrived until its own master timeout stopped its users is missing",
                                 since_start(w.lost_at), common::format_duration(silent));
        // Counts it said it made that never arrived are known, not estimated: the result cannot pass.
        gap.fails_run = gap.known_missing > 0;
        return gap;
    }
    // The newest snapshot it said it made, in a heartbeat or its stop, that never arrived.
    const auto made = std::max(w.stopped_at_sequence, w.reported_sequence);
    const bool unconfirmed = w.applied_sequence < made;
    const bool failed_running = w.state == worker_state::failed && w.ran_before_failing;
    // Still running when the master finished: its stop never confirmed, its last counts not in.
    const bool unstopped = w.state == worker_state::running && w.last_covered_wall.has_value();
    if (gap.known_missing == 0 && w.refused == 0 && !unconfirmed && !failed_running && !unstopped) return std::nullopt;
    gap.to_s = since_start(w.last_seen_wall);
    gap.fails_run = true;
    if (unstopped) {
        gap.to_s = std::max(gap.from_s, since_start(end));
        const double interval_s = std::chrono::duration<double>(snapshot_interval).count();
        gap.estimated_missing = static_cast<std::uint64_t>(
            static_cast<double>(w.last_snapshot_requests) / interval_s * (gap.to_s - gap.from_s) + 0.5);
        gap.reason = "it had not confirmed its stop when the master finished (its control link too slow or broken): "
                     "what it counted after its last snapshot that arrived is missing";
    } else if (failed_running)
        gap.reason = "it failed during the run (" + w.failure + "): what it counted after its last snapshot that "
                     "arrived is missing";
    else if (w.refused > 0)
        gap.reason = fmt::format("{} of its snapshots were refused as malformed (the first: {})", w.refused,
                                 w.first_refusal);
    else if (unconfirmed)
        gap.reason = fmt::format("it made {} snapshot(s), of which {} reached the master", made, w.applied_sequence);
    else
        gap.reason = fmt::format("it counted {} request(s), of which {} reached the master", w.reported_requests,
                                 w.requests);
    return gap;
}

}  // namespace stampede::master
