#pragma once
// Conditions judged while a run goes, over the merged deltas of every worker: the thresholds
// that ask for it (a `window`, or `abort_on_fail`) and the load's stop conditions. Each
// interval, every condition past its grace is judged over its sliding window (the last
// `window` of intervals, once that many have run) or over the run so far. The monitor says
// when the run must stop (a threshold with abort_on_fail failed, or a stop condition held),
// and keeps what each threshold saw, for its verdict at the end.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "conditions/condition_scope.hpp"
#include "report/baseline.hpp"
#include "report/run_result.hpp"

namespace stampede::conditions {

// What one condition saw while the run went.
struct live_record {
    std::size_t judged = 0;        // intervals it was judged in (with data or not)
    std::size_t with_data = 0;     // ... and had something to measure
    std::optional<double> worst;   // the value nearest to failing (for thresholds) or to stopping
    double worst_at_s = 0;
    std::optional<double> failed;  // the first value that failed a threshold or met a stop condition
    bool failed_without_data = false;  // the first failure was a window with nothing to measure
    double failed_at_s = 0;
};

// Why the run must stop.
struct stop_request {
    bool stop_condition = false;  // else a threshold with abort_on_fail
    std::size_t index = 0;        // into the stop conditions, or the thresholds
    std::string condition;        // as written
    std::string measured_text;    // "2315.0 ms over 10 s"
    double at_s = 0;
};

class condition_monitor {
public:
    // `interval`: how long each interval is planned to be (windows count intervals);
    // `base`: the baseline of relative thresholds, when given (it outlives the monitor).
    condition_monitor(const std::vector<lang::threshold_spec>& thresholds,
                      const std::vector<lang::threshold_spec>& stop_when, std::vector<lang::check_info> checks,
                      std::vector<std::string> classes, common::micros interval, const report::baseline* base);

    bool empty() const { return conditions_.empty(); }
    // One interval: its merged delta, its endpoints merged, its length, and how long since the
    // start it ended; `result` holds the run so far, this interval included. Says the first
    // stop the interval calls for, if any, and the events it gives (a threshold's first
    // failure, a stop condition met).
    struct outcome {
        std::optional<stop_request> stop;
        std::vector<std::pair<report::event_kind, std::string>> events;
    };
    // `in_flight`: the span (seconds since the start) of counts made that have not arrived (a
    // worker cut off): a condition whose window reaches into it is not judged this interval,
    // rather than judged on part of its counts; the counts are placed when they come.
    using span_s = std::pair<double, double>;
    outcome add(const stats::stats_delta& delta, const stats::endpoint_stats& every_endpoint, double seconds,
                double elapsed_s, const report::run_result& result, std::optional<span_s> in_flight = std::nullopt);
    // Counts that arrived late for the interval `intervals_ago` before the last one added: the
    // windows that hold it take them.
    void place_late(const stats::stats_delta& delta, const stats::endpoint_stats& every_endpoint,
                    std::size_t intervals_ago);
    // A stage of the load begins. Each stop condition is also judged over each stage's own
    // requests (its first interval left out: snapshots arrive up to one late, and users were
    // still moving), so a break is put on the stage whose requests broke, not on the next
    // one that a sliding window reached only after the stage had changed.
    void begin_stage();
    // The first stop condition that holds over the stage now ending (or the one before it).
    std::optional<stop_request> judge_stage(double elapsed_s, bool previous = false) const;
    // The record of threshold `i` (as given), or none when it was not judged live.
    const live_record* threshold_record(std::size_t i) const;
    // "over 10 s" or "over the run so far", for verdicts and messages.
    static std::string span_text(const lang::threshold_spec& t);

private:
    struct live_condition {
        lang::threshold_spec spec;      // made absolute when relative to a baseline
        bool stop_condition = false;
        std::size_t index = 0;          // into the thresholds or the stop conditions
        std::size_t window_intervals = 0;  // 0: the run so far
        std::deque<scope_figures> window;
        scope_figures stage, previous_stage;  // stop conditions: each stage's own requests
        live_record record;
        bool usable = true;             // false: relative, with no baseline to compare with
        // A stop condition on a watched series reads the readings of its stage's own span.
        double stage_from_s = 1e300, previous_from_s = 1e300, previous_to_s = 0;
    };
    struct judged {
        std::optional<double> measured;
        bool breaks = false;  // a threshold fails, or a stop condition holds
    };
    judged judge(live_condition& c, const stats::stats_delta& delta, const stats::endpoint_stats& every_endpoint,
                 double seconds, double elapsed_s, const report::run_result& result);
    std::optional<double> measure_stage(const live_condition& c, double elapsed_s, bool previous,
                                        lang::threshold_spec& limit) const;
    std::optional<stop_request> note(live_condition& c, const judged& j, double elapsed_s, outcome& out);
    bool waits_for(const live_condition& c, double elapsed_s, const std::optional<span_s>& in_flight) const;

    std::vector<live_condition> conditions_;
    std::vector<lang::check_info> checks_;
    std::vector<std::string> classes_;
    common::micros interval_;
    bool stage_settling_ = false;  // the stage's first interval is not its own yet
    const report::watch_record* watch_ = nullptr;  // the run's watched series, as the last interval left them
    double last_elapsed_s_ = 0;
};

}  // namespace stampede::conditions
