#pragma once
// What the cluster merges for the run loop, interval by interval: the snapshots of the interval
// in progress (merged straight from their bytes), those whose counts end in a row the run loop
// has already made (a resend after a partition: kept apart with where they end, to be placed
// there), and where the made rows end. Not thread-safe: the cluster calls it under its lock.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "master/result_model.hpp"
#include "proto/messages.hpp"
#include "proto/snapshot_codec.hpp"
#include "stats/stats_delta.hpp"

namespace stampede::master {

// Counts that arrived after the row they belong to was taken (a worker's resend after it was cut
// off): kept apart with the time they end, to be placed in that row.
struct late_counts {
    std::string worker_id;
    wall_clock::time_point covered_until;
    stats::stats_delta delta;
};

class interval_intake {
public:
    // The shape of every delta (endpoints, checks, user classes); `interval`: the snapshots'.
    interval_intake(std::size_t endpoints, std::size_t checks, std::size_t classes, common::micros interval);

    // What one admitted snapshot added, and where its counts end.
    struct admitted {
        wire::snapshot_counts counts;
        wall_clock::time_point covered_until;
    };
    // Merges `snapshot` of `worker_id`, received `now`, if it is whole and within `allowance`;
    // else nothing of it counts, and the reason says why.
    common::result<admitted> admit(const std::string& worker_id, const wire::received_snapshot& snapshot,
                                   const wire::snapshot_counts& allowance, wall_clock::time_point now);
    // The interval's merged delta, and the latest time its snapshots say their counts end.
    stats::stats_delta take(std::optional<wall_clock::time_point>& covered_until);
    std::vector<late_counts> take_late() { return std::exchange(late_, {}); }
    // The run loop's rows end here so far: a snapshot whose counts end before (or within a fifth
    // of an interval after: workers take theirs up to a tenth apart) is late.
    void close(wall_clock::time_point row_end);
    // Before the start, for a re-planned run: its deltas take the new shape.
    void reshape(std::size_t classes);

private:
    stats::stats_delta empty() const { return stats::stats_delta(endpoints_, checks_, classes_); }

    std::size_t endpoints_, checks_, classes_;
    common::micros interval_;
    wire::snapshot_scratch scratch_;
    stats::stats_delta pending_;
    std::optional<wall_clock::time_point> pending_covered_until_;  // the latest end the pending snapshots said
    std::vector<late_counts> late_;
    std::optional<wall_clock::time_point> closed_until_;  // where the taken rows end
};

// What a snapshot's counts cover, as the worker says: a resend arrives late but covers what it
// did. A time the worker cannot have taken yet (its clock ahead of ours) is read as `now`.
wall_clock::time_point covered_by(std::int64_t covered_until_ms, wall_clock::time_point now);

}  // namespace stampede::master
