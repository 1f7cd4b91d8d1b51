#include "master/verdicts.hpp"

#include <algorithm>

namespace stampede::master {

namespace {

using lang::threshold_metric;

// What one threshold reads of one run: the requests of its scope, the run's length and the
// checks of its scope.
struct scope_figures {
    stats::endpoint_stats stats;
    double seconds = 0;
    std::uint64_t checks_passed = 0, checks_run = 0;
};

bool in_scope(const lang::threshold_spec& t, const lang::endpoint& e) {
    return t.endpoint.empty() || e.name == t.endpoint || e.method + " " + e.name == t.endpoint;
}

scope_figures figures_of(const lang::threshold_spec& t, const run_result& result) {
    scope_figures f;
    f.seconds = result.duration_s();
    if (t.endpoint_ids.empty()) f.stats = result.aggregate;
    for (auto id : t.endpoint_ids)
        if (id < result.totals.endpoints.size()) f.stats.merge(result.totals.endpoints[id]);
    for (std::size_t i = 0; i < result.checks.size() && i < result.totals.checks.size(); ++i) {
        const auto& c = result.checks[i];
        if (!t.endpoint_ids.empty() &&
            std::find(t.endpoint_ids.begin(), t.endpoint_ids.end(), c.endpoint_id) == t.endpoint_ids.end())
            continue;
        f.checks_passed += result.totals.checks[i].passed;
        f.checks_run += result.totals.checks[i].passed + result.totals.checks[i].failed;
    }
    return f;
}

scope_figures figures_of(const lang::threshold_spec& t, const baseline& base) {
    scope_figures f;
    f.seconds = base.duration_s;
    if (t.endpoint.empty()) f.stats = base.totals;
    else
        for (const auto& [e, stats] : base.endpoints)
            if (in_scope(t, e)) f.stats.merge(stats);
    for (const auto& c : base.checks) {
        if (!in_scope(t, c.endpoint)) continue;
        f.checks_passed += c.passed;
        f.checks_run += c.passed + c.failed;
    }
    return f;
}

// The measured value in the threshold's unit; none when there is nothing to measure.
std::optional<double> measure(const lang::threshold_spec& t, const scope_figures& f) {
    const auto n = static_cast<double>(f.stats.requests);
    switch (t.metric) {
        case threshold_metric::check_pass_rate:
            if (f.checks_run == 0) return std::nullopt;
            return static_cast<double>(f.checks_passed) / static_cast<double>(f.checks_run);
        case threshold_metric::requests: return n;
        case threshold_metric::failures: return static_cast<double>(f.stats.failures);
        case threshold_metric::rps:
            if (f.seconds <= 0) return std::nullopt;
            return n / f.seconds;
        default: break;
    }
    if (f.stats.requests == 0) return std::nullopt;
    const auto& h = f.stats.latency;
    switch (t.metric) {
        case threshold_metric::percentile: return to_ms(h.percentile(t.percentile));
        case threshold_metric::avg: return h.mean() / 1000.0;
        case threshold_metric::min: return to_ms(h.min());
        case threshold_metric::max: return to_ms(h.max());
        case threshold_metric::error_rate: return static_cast<double>(f.stats.failures) / n;
        case threshold_metric::success_rate: return 1.0 - static_cast<double>(f.stats.failures) / n;
        default: return std::nullopt;
    }
}

// A relative threshold becomes an absolute one: its factor times the baseline's figure.
std::optional<lang::threshold_spec> made_absolute(const lang::threshold_spec& t, const baseline* base,
                                                  std::string& why_not) {
    if (!t.baseline_factor) return t;
    if (!base) {
        why_not = "no baseline (--baseline)";
        return std::nullopt;
    }
    const auto reference = measure(t, figures_of(t, *base));
    if (!reference) {
        why_not = "no data in the baseline";
        return std::nullopt;
    }
    auto absolute = t;
    absolute.value = *t.baseline_factor * *reference;
    return absolute;
}

}  // namespace

std::vector<verdict> judge_thresholds(const std::vector<lang::threshold_spec>& thresholds, const run_result& result,
                                      const baseline* base) {
    std::vector<verdict> out;
    for (const auto& t : thresholds) {
        verdict v{t.text, t.endpoint, measure(t, figures_of(t, result)), "no data", false};
        std::string why_not;
        const auto absolute = made_absolute(t, base, why_not);
        if (v.measured) v.measured_text = lang::format_measured(t, *v.measured);
        if (!absolute) v.measured_text += "; " + why_not;
        else if (v.measured) {
            v.passed = lang::threshold_holds(*absolute, *v.measured);
            if (t.baseline_factor) v.measured_text += ", limit " + lang::format_measured(t, absolute->value);
        }
        out.push_back(std::move(v));
    }
    return out;
}

bool all_passed(const std::vector<verdict>& verdicts) {
    return std::all_of(verdicts.begin(), verdicts.end(), [](const verdict& v) { return v.passed; });
}

}  // namespace stampede::master
