#include "scenario/threshold.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "common/duration.hpp"
#include "common/number_text.hpp"
#include "scenario/watched_condition.hpp"

namespace stampede::lang {

namespace {

using common::fail;

struct named_metric {
    std::string_view name;
    threshold_metric metric;
};
constexpr named_metric metrics[] = {
    {"avg", threshold_metric::avg},
    {"min", threshold_metric::min},
    {"max", threshold_metric::max},
    {"error_rate", threshold_metric::error_rate},
    {"success_rate", threshold_metric::success_rate},
    {"rps", threshold_metric::rps},
    {"requests", threshold_metric::requests},
    {"failures", threshold_metric::failures},
    {"check_pass_rate", threshold_metric::check_pass_rate},
    {"iterations", threshold_metric::iterations},
    {"dropped_iterations", threshold_metric::dropped_iterations},
};
constexpr const char* metric_list =
    "p50, p95, p99.9 (any percentile), avg, min, max, error_rate, success_rate, rps, requests, failures, "
    "check_pass_rate, iterations, dropped_iterations, or watch.NAME STAT for a watched series";

bool is_time(threshold_metric m) {
    return m == threshold_metric::percentile || m == threshold_metric::avg || m == threshold_metric::min ||
           m == threshold_metric::max;
}
bool is_rate(threshold_metric m) {
    return m == threshold_metric::error_rate || m == threshold_metric::success_rate ||
           m == threshold_metric::check_pass_rate;
}

using common::finite_number;
using common::trim_spaces;

common::result<threshold_metric> read_metric(std::string_view name, double& percentile) {
    if (name.size() > 1 && name.front() == 'p') {
        auto p = finite_number(name.substr(1));
        if (!p || *p <= 0 || *p > 100) return fail("'" + std::string(name) + "': a percentile is p0.1 to p100");
        percentile = *p;
        return threshold_metric::percentile;
    }
    for (const auto& m : metrics)
        if (m.name == name) return m.metric;
    return fail("unknown metric '" + std::string(name) + "' (metrics: " + metric_list + ")");
}

// Times take a duration (300ms, 1.5s); rates a percentage or a fraction; the rest a number.
common::result<double> read_value(threshold_metric metric, std::string_view text) {
    if (is_time(metric)) {
        // A bare number would be seconds to the duration parser: "p95 < 300" meaning five
        // minutes is a trap, so a time threshold says its unit.
        if (finite_number(text)) return fail("a time threshold takes a duration with its unit, such as 300ms or 1.5s");
        auto d = common::parse_duration(text);
        if (!d) return fail("a time threshold takes a duration such as 300ms or 1.5s: " + d.error());
        return static_cast<double>(d->count()) / 1000.0;
    }
    if (is_rate(metric)) {
        const bool percent = !text.empty() && text.back() == '%';
        auto v = finite_number(percent ? trim_spaces(text.substr(0, text.size() - 1)) : text);
        if (v && percent) *v /= 100;
        if (!v || *v < 0 || *v > 1) return fail("a rate threshold takes a percentage (95%) or a fraction (0.95)");
        return *v;
    }
    auto v = finite_number(text);
    if (!v || *v < 0) return fail("'" + std::string(text) + "' is not a number of 0 or more");
    return *v;
}

// "FACTORx METRIC" ("2x avg", "5x p50"): none when the value is not written so.
std::optional<common::result<relative_figure>> read_relative(threshold_metric metric, std::string_view text) {
    const auto x = text.find('x');
    if (x == std::string_view::npos || text.ends_with("baseline")) return std::nullopt;
    auto factor = finite_number(trim_spaces(text.substr(0, x)));
    if (!factor) return std::nullopt;
    relative_figure r;
    r.name = std::string(trim_spaces(text.substr(x + 1)));
    r.factor = *factor;
    auto other = read_metric(r.name, r.percentile);
    if (!other) return common::result<relative_figure>(other.why());
    r.metric = *other;
    if (!(*factor > 0)) return common::result<relative_figure>(fail("a relative threshold's factor is above 0"));
    if (!is_time(metric) || !is_time(r.metric))
        return common::result<relative_figure>(
            fail("a threshold relative to another figure compares response times, such as 'p95 < 2x avg'"));
    return common::result<relative_figure>(std::move(r));
}

// `watch.NAME STAT OP VALUE`: the series is checked against the watch section when the scenario loads.
common::result<threshold_spec> with_watched(threshold_spec t, std::string_view left, std::string_view value_text) {
    auto figure = parse_watched_figure(left);
    if (!figure) return figure.why();
    if (value_text.empty()) return fail("the threshold has no value after its comparison");
    if (value_text.ends_with("baseline")) return fail("a watched series compares with a value, not a baseline");
    auto value = parse_watched_value(figure->stat, value_text);
    if (!value) return value.why();
    t.metric = threshold_metric::watched;
    t.watched = std::move(*figure);
    t.value = *value;
    return t;
}

}  // namespace

common::result<threshold_spec> parse_threshold(std::string_view text) {
    threshold_spec t;
    t.text = std::string(trim_spaces(text));
    const auto op_at = text.find_first_of("<>");
    if (op_at == std::string_view::npos)
        return fail("a threshold reads METRIC < VALUE (or <=, >, >=), such as 'p95 < 300ms'");
    const bool or_equal = op_at + 1 < text.size() && text[op_at + 1] == '=';
    t.op = text[op_at] == '<' ? (or_equal ? threshold_op::less_equal : threshold_op::less)
                              : (or_equal ? threshold_op::greater_equal : threshold_op::greater);
    const auto left = trim_spaces(text.substr(0, op_at));
    const auto value_text = trim_spaces(text.substr(op_at + (or_equal ? 2 : 1)));
    if (left.starts_with(watched_prefix)) return with_watched(std::move(t), left, value_text);
    auto metric = read_metric(left, t.percentile);
    if (!metric) return metric.why();
    t.metric = *metric;
    if (value_text.empty()) return fail("the threshold has no value after its comparison");
    if (auto relative = read_relative(t.metric, value_text)) {
        if (!*relative) return relative->why();
        t.relative_to = **relative;
        return t;
    }
    if (value_text.ends_with("baseline")) {
        auto factor_text = trim_spaces(value_text.substr(0, value_text.size() - 8));
        if (!factor_text.empty() && factor_text.back() == 'x') factor_text = trim_spaces(factor_text.substr(0, factor_text.size() - 1));
        auto factor = finite_number(factor_text);
        if (!factor || *factor <= 0)
            return fail("a baseline threshold reads METRIC OP FACTORx baseline, such as 'p95 < 3x baseline'");
        t.baseline_factor = *factor;
        return t;
    }
    auto value = read_value(t.metric, value_text);
    if (!value) return value.why();
    t.value = *value;
    return t;
}

std::string_view scope_key(threshold_scope scope) {
    switch (scope) {
        case threshold_scope::endpoint: return "endpoint";
        case threshold_scope::user_class: return "class";
        case threshold_scope::tag: return "tag";
        case threshold_scope::run: break;
    }
    return "";
}

bool threshold_holds(const threshold_spec& t, double measured) {
    switch (t.op) {
        case threshold_op::less: return measured < t.value;
        case threshold_op::less_equal: return measured <= t.value;
        case threshold_op::greater: return measured > t.value;
        case threshold_op::greater_equal: return measured >= t.value;
    }
    return false;
}

std::string format_measured(const threshold_spec& t, double measured) {
    if (t.watched) return format_watched_measured(*t.watched, measured);
    if (is_time(t.metric)) return fmt::format("{:.1f} ms", measured);
    if (is_rate(t.metric)) return fmt::format("{:.2f} %", 100 * measured);
    if (t.metric == threshold_metric::rps) return fmt::format("{:.1f}/s", measured);
    return fmt::format("{:.0f}", measured);
}

}  // namespace stampede::lang
