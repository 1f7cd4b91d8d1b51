#include "conditions/condition_scope.hpp"

#include <algorithm>

#include "report/baseline.hpp"
#include "report/run_result.hpp"
#include "report/stats_row.hpp"

namespace stampede::conditions {

namespace {

using lang::threshold_metric;

// A baseline's endpoint is known by its name alone: an endpoint threshold matches it as it
// matched this run's endpoints; a class or tag by the endpoints its steps name in this run.
bool in_scope(const lang::threshold_spec& t, const lang::endpoint& e) {
    if (t.scope == lang::threshold_scope::run) return true;
    if (t.scope == lang::threshold_scope::endpoint) return e.name == t.endpoint || e.method + " " + e.name == t.endpoint;
    return std::find(t.endpoint_keys.begin(), t.endpoint_keys.end(), e.method + " " + e.name) != t.endpoint_keys.end();
}

bool names_endpoint(const lang::threshold_spec& t, std::uint32_t id) {
    return t.endpoint_ids.empty() || std::find(t.endpoint_ids.begin(), t.endpoint_ids.end(), id) != t.endpoint_ids.end();
}

}  // namespace

void scope_figures::merge(const scope_figures& other) {
    stats.merge(other.stats);
    seconds += other.seconds;
    checks_passed += other.checks_passed;
    checks_run += other.checks_run;
    iterations += other.iterations;
    dropped += other.dropped;
}

scope_figures figures_of(const lang::threshold_spec& t, const stats::stats_delta& counts, const scope_tables& tables,
                         double seconds, const stats::endpoint_stats* every_endpoint) {
    const auto& checks = tables.checks;
    scope_figures f;
    for (std::size_t i = 0; i < counts.classes.size() && i < tables.classes.size(); ++i) {
        if (t.scope == lang::threshold_scope::user_class ? tables.classes[i] != t.endpoint
                                                          : t.scope != lang::threshold_scope::run)
            continue;
        f.iterations += counts.classes[i].iterations;
        f.dropped += counts.classes[i].dropped;
    }
    f.seconds = seconds;
    if (t.endpoint_ids.empty()) f.stats = every_endpoint ? *every_endpoint : counts.merged_endpoints();
    for (auto id : t.endpoint_ids)
        if (id < counts.endpoints.size()) f.stats.merge(counts.endpoints[id]);
    for (std::size_t i = 0; i < checks.size() && i < counts.checks.size(); ++i) {
        if (!names_endpoint(t, checks[i].endpoint_id)) continue;
        f.checks_passed += counts.checks[i].passed;
        f.checks_run += counts.checks[i].passed + counts.checks[i].failed;
    }
    return f;
}

scope_figures figures_of(const lang::threshold_spec& t, const report::baseline& base) {
    scope_figures f;
    f.seconds = base.duration_s;
    if (t.scope == lang::threshold_scope::run) f.stats = base.totals;
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

std::optional<double> measure(const lang::threshold_spec& t, const scope_figures& f) {
    const auto n = static_cast<double>(f.stats.requests);
    switch (t.metric) {
        case threshold_metric::check_pass_rate:
            if (f.checks_run == 0) return std::nullopt;
            return static_cast<double>(f.checks_passed) / static_cast<double>(f.checks_run);
        case threshold_metric::iterations: return static_cast<double>(f.iterations);
        case threshold_metric::dropped_iterations: return static_cast<double>(f.dropped);
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
        case threshold_metric::percentile: return report::to_ms(h.percentile(t.percentile));
        case threshold_metric::avg: return h.mean() / 1000.0;
        case threshold_metric::min: return report::to_ms(h.min());
        case threshold_metric::max: return report::to_ms(h.max());
        case threshold_metric::error_rate: return static_cast<double>(f.stats.failures) / n;
        case threshold_metric::success_rate: return 1.0 - static_cast<double>(f.stats.failures) / n;
        default: return std::nullopt;
    }
}

std::optional<double> measure_watched(const lang::threshold_spec& t, const report::watch_record& watch, double from_s,
                                      double to_s) {
    if (!t.watched) return std::nullopt;
    const auto index = watch.find(t.watched->series);
    if (!index) return std::nullopt;
    const auto f = watch.figures(*index, from_s, to_s);
    if (f.readings == 0) return std::nullopt;
    switch (t.watched->stat) {
        case lang::watch_stat::min: return f.min;
        case lang::watch_stat::max: return f.max;
        case lang::watch_stat::avg: return f.avg;
        case lang::watch_stat::first: return f.first;
        case lang::watch_stat::last: return f.last;
        case lang::watch_stat::slope: return f.slope;
        case lang::watch_stat::growth: return f.growth;
    }
    return std::nullopt;
}

std::optional<lang::threshold_spec> against_figures(const lang::threshold_spec& t, const scope_figures& f) {
    if (!t.relative_to) return t;
    lang::threshold_spec other = t;
    other.metric = t.relative_to->metric;
    other.percentile = t.relative_to->percentile;
    const auto reference = measure(other, f);
    if (!reference) return std::nullopt;
    auto absolute = t;
    absolute.value = t.relative_to->factor * *reference;
    return absolute;
}

common::result<lang::threshold_spec> absolute_threshold(const lang::threshold_spec& t, const report::baseline* base) {
    if (!t.baseline_factor) return t;
    if (!base) return common::fail("no baseline (--baseline)");
    const auto reference = measure(t, figures_of(t, *base));
    if (!reference) return common::fail("no data in the baseline");
    auto absolute = t;
    absolute.value = *t.baseline_factor * *reference;
    return absolute;
}

}  // namespace stampede::conditions
