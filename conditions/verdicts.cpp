#include "conditions/verdicts.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "conditions/condition_scope.hpp"

namespace stampede::conditions {

namespace {

// Over the whole run, at its end.
report::verdict judged_at_end(const lang::threshold_spec& t, const report::run_result& result, const report::baseline* base) {
    const auto f = figures_of(t, result.totals, {result.checks, result.user_classes}, result.stats_duration_s(),
                              &result.aggregate);
    report::verdict v{t.text, t.endpoint, std::string(lang::scope_key(t.scope)), measure(t, f), "no data", false};
    const auto absolute = absolute_threshold(t, base);
    if (v.measured) v.measured_text = lang::format_measured(t, *v.measured);
    if (!absolute) v.measured_text += "; " + absolute.error();
    else if (v.measured) {
        v.passed = lang::threshold_holds(*absolute, *v.measured);
        if (t.baseline_factor) v.measured_text += ", limit " + lang::format_measured(t, absolute->value);
    } else v.passed = t.no_data_passes;
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
        if (const auto absolute = absolute_threshold(t, base)) {
            v.limit = absolute->value;
            v.chart = chart_of(t.metric);
        }
        v.stopped_run = result.stopped_early && !result.stopped_early->stop_condition &&
                        result.stopped_early->condition == t.text && !v.passed;
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace stampede::conditions
