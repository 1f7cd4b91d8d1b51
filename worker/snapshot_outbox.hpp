#pragma once
// What a worker has counted and its master has not yet acknowledged: sequenced deltas, kept
// until acknowledged and sent again after a reconnect. Pure: the agent encodes a snapshot only
// when it sends it, and tests drive this without a network.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "common/duration.hpp"
#include "stats/stats_delta.hpp"

namespace stampede::worker {

struct outgoing_snapshot {
    std::uint64_t sequence = 0;
    stats::stats_delta delta;
    bool sent = false;
    std::int64_t covered_until_ms = 0;  // when its counts end (Unix ms): when the delta was taken
    std::int64_t sent_ms = 0;           // when it was last sent (Unix ms; 0: not told)
};

class snapshot_outbox {
public:
    // At most `capacity` snapshots are kept apart; past it, new counts merge into the newest
    // unsent one (no master has it, so merging cannot count twice). At most `max_in_flight` are
    // sent and unacknowledged: past it the link is behind (a thin or starved control channel),
    // so the next snapshot waits, and the counts of later intervals merge into it, rather than
    // queueing behind the others in the transport for as long as the link takes to carry them.
    // The link is also behind when the oldest snapshot in flight was sent `behind_after_ms` or
    // more ago: a master acknowledges every second snapshot as it applies
    // it, so on a link that keeps up none waits that long; on one that does not, what waits in
    // the transport (and holds up the heartbeats behind it) stays within a few seconds.
    explicit snapshot_outbox(std::size_t capacity, std::size_t max_in_flight = default_max_in_flight,
                             std::int64_t behind_after_ms = default_behind_after_ms)
        : capacity_(capacity), max_in_flight_(std::max<std::size_t>(1, max_in_flight)), behind_after_ms_(behind_after_ms) {}
    static constexpr std::size_t default_max_in_flight = 4;
    static constexpr std::int64_t default_behind_after_ms = 2500;

    // A new run: nothing kept, sequences go on after `acknowledged` (what that master has).
    void start_run(std::uint64_t acknowledged);
    // An interval's delta, taken at `taken_ms` (Unix ms, now), as the next snapshot; an empty one
    // is dropped. `keep_apart`: taken earlier (while no master heard the worker), it is not merged
    // for a link behind, so that it lands in its own interval.
    void add(stats::stats_delta delta, std::int64_t taken_ms = 0, bool keep_apart = false);
    // Every snapshot up to `sequence` has been applied by the master.
    void acknowledge(std::uint64_t sequence);
    // After a reconnect: the master has up to `acknowledged`; the rest go again.
    void resend_after(std::uint64_t acknowledged);
    // Calls `write` for each unsent snapshot in order while fewer than max_in_flight are
    // unacknowledged (`everything`: all of them, as a stopping worker's last words), the last one
    // sent told it is the last; stops at the first that fails. How many it sent; none if one failed.
    std::optional<std::size_t> send_unsent(const std::function<bool(const outgoing_snapshot&, bool last)>& write,
                                           bool everything = false, std::int64_t now_ms = 0);

    std::uint64_t last_sequence() const { return next_sequence_ - 1; }  // the newest made
    std::uint64_t requests_counted() const { return requests_; }        // in all made this run
    std::size_t kept() const { return kept_.size(); }
    bool has_unsent() const { return !kept_.empty() && !kept_.back().sent; }
    std::size_t in_flight() const;  // sent and not yet acknowledged
    // Intervals whose counts went into another interval's snapshot this run (the link behind,
    // or past capacity): the master places such a snapshot where its counts end.
    std::uint64_t merged_intervals() const { return merged_; }

private:
    bool behind(std::int64_t now_ms) const;

    std::size_t capacity_, max_in_flight_;
    std::int64_t behind_after_ms_;
    std::uint64_t merged_ = 0;
    std::uint64_t last_sent_sequence_ = 0;  // newer ones were never sent
    std::deque<outgoing_snapshot> kept_;
    std::uint64_t next_sequence_ = 1;
    std::uint64_t requests_ = 0;
};

// Snapshots leave every worker at the same moments: at the wall clock's interval boundaries,
// plus this worker's own offset within the first tenth of the interval. Every worker's
// intervals then cover the same spans of time, so the master's per-interval figures add up
// like with like; and the master receives a round of snapshots in one short window, handling
// many per wake-up instead of being woken once per snapshot all through the interval.
std::chrono::steady_clock::time_point next_aligned_snapshot(common::micros interval, const std::string& worker_id);

}  // namespace stampede::worker
