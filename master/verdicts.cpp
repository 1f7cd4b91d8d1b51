#include "master/verdicts.hpp"

#include <algorithm>

namespace stampede::master {

namespace {

using lang::threshold_metric;

// What the threshold reads: every endpoint together, or the ones it names merged.
stats::endpoint_stats scope_of(const lang::threshold_spec& t, const run_result& result) {
    if (t.endpoint_ids.empty()) return result.aggregate;
    stats::endpoint_stats merged;
    for (auto id : t.endpoint_ids)
        if (id < result.totals.endpoints.size()) merged.merge(result.totals.endpoints[id]);
    return merged;
}

std::optional<double> check_pass_rate(const lang::threshold_spec& t, const run_result& result) {
    std::uint64_t passed = 0, runs = 0;
    for (std::size_t i = 0; i < result.checks.size() && i < result.totals.checks.size(); ++i) {
        const auto& c = result.checks[i];
        const bool in_scope = t.endpoint_ids.empty() || std::find(t.endpoint_ids.begin(), t.endpoint_ids.end(),
                                                                  c.endpoint_id) != t.endpoint_ids.end();
        if (!in_scope) continue;
        passed += result.totals.checks[i].passed;
        runs += result.totals.checks[i].passed + result.totals.checks[i].failed;
    }
    if (runs == 0) return std::nullopt;
    return static_cast<double>(passed) / static_cast<double>(runs);
}

// The measured value in the threshold's unit; none when there is nothing to measure.
std::optional<double> measure(const lang::threshold_spec& t, const run_result& result) {
    if (t.metric == threshold_metric::check_pass_rate) return check_pass_rate(t, result);
    const auto stats = scope_of(t, result);
    const auto n = static_cast<double>(stats.requests);
    switch (t.metric) {
        case threshold_metric::requests: return n;
        case threshold_metric::failures: return static_cast<double>(stats.failures);
        case threshold_metric::rps: {
            const double seconds = result.duration_s();
            if (seconds <= 0) return std::nullopt;
            return n / seconds;
        }
        default: break;
    }
    if (stats.requests == 0) return std::nullopt;
    const auto& h = stats.latency;
    switch (t.metric) {
        case threshold_metric::percentile: return to_ms(h.percentile(t.percentile));
        case threshold_metric::avg: return h.mean() / 1000.0;
        case threshold_metric::min: return to_ms(h.min());
        case threshold_metric::max: return to_ms(h.max());
        case threshold_metric::error_rate: return static_cast<double>(stats.failures) / n;
        case threshold_metric::success_rate: return 1.0 - static_cast<double>(stats.failures) / n;
        default: return std::nullopt;
    }
}

}  // namespace

std::vector<verdict> judge_thresholds(const std::vector<lang::threshold_spec>& thresholds, const run_result& result) {
    std::vector<verdict> out;
    for (const auto& t : thresholds) {
        verdict v{t.text, t.endpoint, measure(t, result), "no data", false};
        if (v.measured) {
            v.measured_text = lang::format_measured(t, *v.measured);
            v.passed = lang::threshold_holds(t, *v.measured);
        }
        out.push_back(std::move(v));
    }
    return out;
}

bool all_passed(const std::vector<verdict>& verdicts) {
    return std::all_of(verdicts.begin(), verdicts.end(), [](const verdict& v) { return v.passed; });
}

}  // namespace stampede::master
