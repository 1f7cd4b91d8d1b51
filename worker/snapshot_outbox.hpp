#pragma once
// What a worker has counted and its master has not yet acknowledged: sequenced deltas, kept
// until acknowledged and sent again after a reconnect. Pure: the agent encodes a snapshot only
// when it sends it, and tests drive this without a network.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include "common/duration.hpp"
#include "stats/stats_delta.hpp"

namespace stampede::worker {

struct outgoing_snapshot {
    std::uint64_t sequence = 0;
    stats::stats_delta delta;
    bool sent = false;
    std::int64_t covered_until_ms = 0;  // when its counts end (Unix ms): when the delta was taken
};

class snapshot_outbox {
public:
    // At most `capacity` snapshots are kept apart; past it, new counts merge into the newest
    // unsent one (no master has it, so merging cannot count twice).
    explicit snapshot_outbox(std::size_t capacity) : capacity_(capacity) {}

    // A new run: nothing kept, sequences go on after `acknowledged` (what that master has).
    void start_run(std::uint64_t acknowledged);
    // An interval's delta, taken at `taken_ms` (Unix ms), as the next snapshot; an empty one is
    // dropped.
    void add(stats::stats_delta delta, std::int64_t taken_ms = 0);
    // Every snapshot up to `sequence` has been applied by the master.
    void acknowledge(std::uint64_t sequence);
    // After a reconnect: the master has up to `acknowledged`; the rest go again.
    void resend_after(std::uint64_t acknowledged);
    // Calls `write` for each unsent snapshot in order, the newest told it is the last; stops
    // at the first that fails. False if one failed.
    bool send_unsent(const std::function<bool(const outgoing_snapshot&, bool last)>& write);

    std::uint64_t last_sequence() const { return next_sequence_ - 1; }  // the newest made
    std::uint64_t requests_counted() const { return requests_; }        // in all made this run
    std::size_t kept() const { return kept_.size(); }
    bool has_unsent() const { return !kept_.empty() && !kept_.back().sent; }

private:
    std::size_t capacity_;
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
