#pragma once
// What a threshold or a stop condition reads of a span of a run: the requests of its scope
// (the whole run, or the endpoints it names), the checks of that scope, and the span's length;
// and the value it measures there. Shared by the verdicts at the end, the judgements while a
// run goes, and the baseline a relative threshold compares with.
#include <cstdint>
#include <optional>
#include <vector>

#include "report/baseline.hpp"
#include "report/run_result.hpp"
#include "scenario/scenario.hpp"
#include "stats/stats_delta.hpp"

namespace stampede::conditions {

struct scope_figures {
    stats::endpoint_stats stats;
    double seconds = 0;
    std::uint64_t checks_passed = 0, checks_run = 0;
    std::uint64_t iterations = 0, dropped = 0;  // open-model classes': every one's, or the class's

    void merge(const scope_figures& other);
};

// What the counts' tables are indexed by: the run's checks and user classes (by name).
struct scope_tables {
    const std::vector<lang::check_info>& checks;
    const std::vector<std::string>& classes;
};

// The scope's figures in `counts` (one interval's delta, or a run's totals) over `seconds`;
// `every_endpoint`, when given, is the counts' endpoints already merged (the aggregate).
scope_figures figures_of(const lang::threshold_spec& t, const stats::stats_delta& counts, const scope_tables& tables,
                         double seconds, const stats::endpoint_stats* every_endpoint = nullptr);
// The same scope in a baseline, whose endpoints are known by name.
scope_figures figures_of(const lang::threshold_spec& t, const report::baseline& base);

// The measured value in the threshold's unit; none when there is nothing to measure.
std::optional<double> measure(const lang::threshold_spec& t, const scope_figures& f);

// A condition on a watched series (`watch.NAME STAT`), measured over the series' readings from
// `from_s` to `to_s` (seconds since the start); none when no reading falls there.
std::optional<double> measure_watched(const lang::threshold_spec& t, const report::watch_record& watch, double from_s,
                                      double to_s = 1e300);

// A threshold relative to another figure of the same span ("p95 < 2x avg") with its limit made
// absolute from `f`; none when that figure has nothing to measure. Any other comes back as it is.
std::optional<lang::threshold_spec> against_figures(const lang::threshold_spec& t, const scope_figures& f);

// A threshold relative to a baseline ("p95 < 3x baseline") made absolute: its factor times
// the same metric over the same scope in `base`; or why it cannot be ("no baseline",
// "no data in the baseline"). An absolute threshold comes back as it is.
common::result<lang::threshold_spec> absolute_threshold(const lang::threshold_spec& t, const report::baseline* base);

}  // namespace stampede::conditions
