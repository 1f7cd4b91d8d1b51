#pragma once
// Pass/fail targets as scenarios write them: "p95 < 300ms", "success_rate > 95%",
// "rps >= 100", on the whole run or on one endpoint; and stop conditions ("avg > 2s"), which
// read the same way but end the run when they hold. Parsed when the scenario loads (so
// `validate` catches a typo), evaluated by the master over the merged result (master/verdicts,
// and while the run goes, master/condition_monitor).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.hpp"
#include "common/result.hpp"

namespace stampede::lang {

using common::micros;

enum class threshold_metric {
    percentile, avg, min, max,          // response times, in milliseconds
    error_rate, success_rate,           // fractions of the requests
    rps, requests, failures,            // per second over the run, counts
    check_pass_rate,                    // a fraction of the checks run
    iterations, dropped_iterations,     // the open model's: started, and not started in time
    watched                             // a watched series of the service (`watched` says which, and how)
};
enum class threshold_op { less, less_equal, greater, greater_equal };

// What a threshold reads of a watched series (`watch.NAME STAT`): its readings' lowest, highest,
// average, first or last, or the least-squares line through them: its slope (a second) or its
// growth over the span (a fraction of where it began).
enum class watch_stat { min, max, avg, first, last, slope, growth };
struct watched_figure {
    std::string series;  // as the watch section names it: "active", "opscore.memory"
    watch_stat stat = watch_stat::max;
    std::string unit;    // the series' unit ("B", "s", "cores", ...), set when the scenario loads
};

// "p95 < 2x avg": the limit is a factor of another figure of the same run, over the same scope
// and span.
struct relative_figure {
    threshold_metric metric = threshold_metric::avg;
    double percentile = 0;
    double factor = 1;
    std::string name;  // as written: "avg", "p50"
};
enum class threshold_scope { run, endpoint, user_class, tag };
// "endpoint", "class", "tag"; empty for the whole run.
std::string_view scope_key(threshold_scope scope);

struct threshold_spec {
    std::string text;  // as written: "p95 < 300ms"
    threshold_metric metric = threshold_metric::percentile;
    double percentile = 0;  // for `percentile`: 95, 99.9
    threshold_op op = threshold_op::less;
    double value = 0;  // milliseconds for times, a fraction for rates, else a count or a rate
    // "p95 < 3x baseline": the value is this factor times the same metric in a baseline
    // result (--baseline), over the same scope.
    std::optional<double> baseline_factor;
    // "p95 < 2x avg": the value is this factor times another figure, measured alongside.
    std::optional<relative_figure> relative_to;
    // `watch.NAME STAT OP VALUE`: a watched series of the service (metric is `watched`); the value
    // in the series' unit (a second, for a slope; a fraction, for growth).
    std::optional<watched_figure> watched;
    // What it reads: the whole run, or the requests of one endpoint (its name, or "METHOD
    // name" when names repeat), of one user class's steps, or of the tasks with one tag.
    threshold_scope scope = threshold_scope::run;
    std::string endpoint;  // the endpoint's, class's or tag's name; empty for the whole run
    std::vector<std::uint32_t> endpoint_ids;  // the scope's endpoints, resolved when the scenario loads
    std::vector<std::string> endpoint_keys;   // ... as "METHOD name", to find them in a baseline
    // Judged while the run goes, not only at the end: each interval over a sliding window of
    // this long (once a whole window has run). Without a window, `abort_on_fail` judges the
    // run so far each interval.
    std::optional<micros> window;
    micros grace{0};             // no judgement while the run is younger than this
    bool abort_on_fail = false;  // the first failure while the run goes stops it
    bool no_data_passes = false; // `no_data: pass`: nothing to measure is not a failure
    int line = 0, column = 0;    // where it was written

    bool judged_live() const { return window.has_value() || abort_on_fail; }
};

// A sliding window is at least one interval and at most an hour (the master keeps one
// interval's figures per second of it).
inline constexpr micros min_window{std::chrono::seconds(1)};
inline constexpr micros max_window{std::chrono::hours(1)};
// A stop condition without a window is judged over the last 10 seconds.
inline constexpr micros default_stop_window{std::chrono::seconds(10)};

// "METRIC OP VALUE", "METRIC OP FACTORx baseline", "METRIC OP FACTORx METRIC" or
// "watch.NAME STAT OP VALUE", or why not (naming what was expected).
common::result<threshold_spec> parse_threshold(std::string_view text);
// Whether `measured` (in the metric's unit) meets the threshold.
bool threshold_holds(const threshold_spec& t, double measured);
// A measured value as the threshold's text writes it: "412.3 ms", "96.20 %", "120.5/s", "17".
std::string format_measured(const threshold_spec& t, double measured);

}  // namespace stampede::lang
