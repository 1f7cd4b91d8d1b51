#pragma once
// Merges stats deltas into the run's cumulative statistics and its per-interval history, for
// every endpoint together and for each. A sliding window of recent intervals gives the
// "current" rates and percentiles.
#include <deque>
#include <optional>

#include "master/result_model.hpp"

namespace stampede::master {

class stats_aggregator {
public:
    // `window` intervals make the current figures (Locust uses 10 s).
    explicit stats_aggregator(run_result& result, std::size_t window = 10);

    // Merges one interval's delta (every source's, already merged) and appends a history row.
    // `covered_until`: the end of the span its counts cover (the interval boundary the workers'
    // snapshots were taken at, or the stop), which times the row; the span starts where the last
    // one ended. Rows are timed apart: a second's Unix time is never given to two.
    void add(const stats::stats_delta& delta, wall_clock::time_point covered_until, int users);
    // Counts that arrived after their row was added (a worker's resend after it was cut off),
    // placed in the row whose span holds `covered_until` (give or take `tolerance`): its counts,
    // the totals and, while the row is in the window, the current figures. Says which row; none
    // before the first. Counts from before a statistics reset go to their row only.
    std::optional<std::size_t> place_late(const stats::stats_delta& delta, wall_clock::time_point covered_until,
                                          common::micros tolerance);
    const history_row& latest() const;
    // The totals, the aggregate and the window start again from nothing; history stays.
    void reset();
    // Before the start, when the run was re-planned: the totals take the result's new shape
    // (a tag filter may leave fewer user classes).
    void reshape();
    // The last interval added, every endpoint together, and its length in seconds.
    const stats::endpoint_stats& latest_interval() const { return window_.back().total; }
    double latest_interval_seconds() const;
    bool has_history() const { return !result_.history.empty(); }

private:
    struct window_entry {
        wall_clock::time_point start, end;
        stats::endpoint_stats total;
        std::vector<stats::endpoint_stats> endpoints;  // this interval's, per endpoint
    };
    std::vector<endpoint_point> endpoint_points(const stats::stats_delta& delta) const;
    run_result& result_;
    std::size_t window_size_;
    std::deque<window_entry> window_;
    std::optional<wall_clock::time_point> restart_;  // the last reset
};

}  // namespace stampede::master
