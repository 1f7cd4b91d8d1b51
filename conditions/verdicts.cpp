#include "conditions/verdicts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "conditions/condition_scope.hpp"

namespace stampede::conditions {

namespace {

// The threshold with its limit made absolute, over the figures it is judged on: a baseline's
// figure, or another figure of the same span; why it cannot be.
common::result<lang::threshold_spec> limit_over(const lang::threshold_spec& t, const report::baseline* base,
                                                const scope_figures& f) {
    auto absolute = absolute_threshold(t, base);
    if (!absolute || !t.relative_to) return absolute;
    auto against = against_figures(*absolute, f);
    if (!against) return common::fail("no data for " + t.relative_to->name);
    return std::move(*against);
}

// A watched series of the service over the run, its grace (a warm-up) left out.
report::verdict judged_watched(const lang::threshold_spec& t, const report::run_result& result) {
    const double from_s = std::chrono::duration<double>(t.grace).count();
    report::verdict v{t.text, "", "", measure_watched(t, result.watch, from_s), "no data", false};
    if (v.measured) {
        v.measured_text = lang::format_measured(t, *v.measured);
        if (from_s > 0) v.measured_text += " after " + common::format_duration(t.grace);
        v.passed = lang::threshold_holds(t, *v.measured);
    } else {
        v.passed = t.no_data_passes;
    }
    return v;
}

// Over the whole run, at its end.
report::verdict judged_at_end(const lang::threshold_spec& t, const report::run_result& result, const report::baseline* base) {
    if (t.watched) return judged_watched(t, result);
    const auto f = figures_of(t, result.totals, {result.checks, result.user_classes}, result.stats_duration_s(),
                              &result.aggregate);
    report::verdict v{t.text, t.endpoint, std::string(lang::scope_key(t.scope)), measure(t, f), "no data", false};
    const auto limit = limit_over(t, base, f);
    if (v.measured) v.measured_text = lang::format_measured(t, *v.measured);
    if (!limit) v.measured_text += "; " + limit.error();
    else {
        v.limit = limit->value;
        if (v.measured) v.passed = lang::threshold_holds(*limit, *v.measured);
        else v.passed = t.no_data_passes;
        if (v.measured && (t.baseline_factor || t.relative_to))
            v.measured_text += ", limit " + lang::format_measured(t, limit->value);
    }
    return v;
}

// Which of the report's charts over time a threshold's limit is a line on.
std::string chart_of(lang::threshold_metric m) {
    using lang::threshold_metric;
    if (m == threshold_metric::percentile || m == threshold_metric::avg || m == threshold_metric::min ||
        m == threshold_metric::max)
        return "latency";
    return m == threshold_metric::rps ? "rps" : "";
}

std::string when_text(double at_s) { return fmt::format("at {:.0f} s", at_s); }

// Over its windows as the run went: it failed if one did; else the worst window is shown.
report::verdict judged_over_windows(const lang::threshold_spec& t, const live_record& r) {
    const auto span = condition_monitor::span_text(t);
    report::verdict v{t.text, t.endpoint, std::string(lang::scope_key(t.scope)), std::nullopt, "", false};
    if (r.failed || r.failed_without_data) {
        v.measured = r.failed;
        v.measured_text = (r.failed ? lang::format_measured(t, *r.failed) : std::string("no data")) + " " + span + " " +
                          when_text(r.failed_at_s);
        return v;
    }
    if (r.judged == 0) {
        v.measured_text = "no data: the run ended before a whole window " + span.substr(5);
        v.passed = t.no_data_passes;
        return v;
    }
    v.passed = true;
    v.measured = r.worst;
    v.measured_text = r.worst ? "worst " + lang::format_measured(t, *r.worst) + " " + span + " " + when_text(r.worst_at_s)
                              : "no data in any window";
    return v;
}

}  // namespace

std::vector<report::verdict> judge_thresholds(const std::vector<lang::threshold_spec>& thresholds, const report::run_result& result,
                                      const report::baseline* base, const condition_monitor* monitor) {
    std::vector<report::verdict> out;
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
        const auto& t = thresholds[i];
        const auto* live = monitor ? monitor->threshold_record(i) : nullptr;
        auto v = live && t.window ? judged_over_windows(t, *live) : judged_at_end(t, result, base);
        if (live && !t.window && (live->failed || live->failed_without_data)) {
            // It failed over the run so far while the run went: that failure stands.
            v.passed = false;
            v.measured = live->failed;
            v.measured_text = (live->failed ? lang::format_measured(t, *live->failed) : std::string("no data")) +
                              " over the run so far " + when_text(live->failed_at_s);
        }
        if (t.watched) v.limit = t.value;
        else if (const auto absolute = absolute_threshold(t, base); absolute && !t.relative_to) v.limit = absolute->value;
        // The report draws a fixed limit on the chart it belongs to: a watched series' own chart.
        // A slope or growth is no value on the series' chart.
        const bool on_series = t.watched && t.watched->stat != lang::watch_stat::slope && t.watched->stat != lang::watch_stat::growth;
        if (v.limit && !t.relative_to) v.chart = on_series ? "watch." + t.watched->series : t.watched ? "" : chart_of(t.metric);
        v.stopped_run = result.stopped_early && !result.stopped_early->stop_condition &&
                        result.stopped_early->condition == t.text && !v.passed;
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace stampede::conditions
