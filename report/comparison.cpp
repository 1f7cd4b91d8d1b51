#include "report/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "watch/value_text.hpp"

namespace stampede::report {

using nlohmann::json;

namespace {

constexpr compared_metric all_metrics[] = {compared_metric::rps, compared_metric::error_rate, compared_metric::avg,
                                           compared_metric::p50, compared_metric::p95, compared_metric::p99};

std::optional<double> figure(const summary_row& r, compared_metric m) {
    switch (m) {
        case compared_metric::rps: return r.rps;
        case compared_metric::error_rate: return r.requests ? std::optional<double>(r.error_rate()) : std::nullopt;
        case compared_metric::avg: return r.avg_ms;
        case compared_metric::p50: return r.p50_ms;
        case compared_metric::p95: return r.p95_ms;
        case compared_metric::p99: return r.p99_ms;
    }
    return std::nullopt;
}

metric_change change_of(const summary_row& base, const summary_row& current, compared_metric m, const regression_bounds& b) {
    metric_change c{m, figure(base, m), figure(current, m), std::nullopt, false};
    if (!c.base || !c.current) return c;
    if (m == compared_metric::error_rate) {
        c.change = 100 * (*c.current - *c.base);
        c.regressed = b.max_error_increase_pts && *c.change > *b.max_error_increase_pts;
        return c;
    }
    if (*c.base <= 0) return c;
    c.change = *c.current / *c.base - 1;
    if (b.max_regression_pct) {
        const double bound = *b.max_regression_pct / 100;
        c.regressed = m == compared_metric::rps ? -*c.change > bound : *c.change > bound;
    }
    return c;
}

row_comparison compare_rows(const summary_row& base, const summary_row& current, const regression_bounds& b) {
    row_comparison r{current.method, current.name, base.requests, current.requests, {}};
    for (auto m : all_metrics) r.metrics.push_back(change_of(base, current, m, b));
    return r;
}

std::string key_of(const summary_row& r) { return r.method + " " + r.name; }

std::string format_value(compared_metric m, const std::optional<double>& v) {
    if (!v) return "–";
    char text[32];
    if (m == compared_metric::error_rate) std::snprintf(text, sizeof text, "%.2f %%", 100 * *v);
    else std::snprintf(text, sizeof text, *v >= 100 ? "%.1f" : "%.2f", *v);
    return text;
}

std::string format_change(const metric_change& c) {
    if (!c.change) return "";
    char text[32];
    if (c.metric == compared_metric::error_rate) std::snprintf(text, sizeof text, "%+.2f pt", *c.change);
    else std::snprintf(text, sizeof text, "%+.1f %%", 100 * *c.change);
    return text;
}

void print_row(std::ostream& out, const row_comparison& r) {
    char line[256];
    bool first = true;
    for (const auto& c : r.metrics) {
        const std::string name = first ? (r.method.empty() ? r.name : r.method + " " + r.name) : "";
        std::snprintf(line, sizeof line, "%-36.36s %-12s %12s %12s %10s  %s\n", name.c_str(),
                      std::string(label_of(c.metric)).c_str(), format_value(c.metric, c.base).c_str(),
                      format_value(c.metric, c.current).c_str(), format_change(c).c_str(), c.regressed ? "REGRESSED" : "");
        out << line;
        first = false;
    }
}

json optional_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json row_json(const row_comparison& r) {
    json metrics = json::object();
    for (const auto& c : r.metrics)
        metrics[std::string(label_of(c.metric))] = {{"base", optional_json(c.base)}, {"current", optional_json(c.current)},
                                                    {"change", optional_json(c.change)}, {"regressed", c.regressed}};
    return {{"method", r.method}, {"name", r.name}, {"base_requests", r.base_requests},
            {"current_requests", r.current_requests}, {"metrics", std::move(metrics)}, {"regressed", r.regressed()}};
}

json side_json(const run_summary& s) { return {{"path", s.path}, {"source", s.source}, {"start", s.started}}; }

json only_json(const std::vector<summary_row>& rows) {
    json out = json::array();
    for (const auto& r : rows) out.push_back({{"method", r.method}, {"name", r.name}, {"requests", r.requests}});
    return out;
}

json service_json(const service_summary& s) {
    return {{"avg", optional_json(s.avg)}, {"max", optional_json(s.max)}, {"last", optional_json(s.last)},
            {"slope_per_s", optional_json(s.slope_per_s)}};
}

// The watched series both runs read: each figure's baseline, current and change.
void print_service(std::ostream& out, const std::vector<service_comparison>& service) {
    if (service.empty()) return;
    out << "\n" << fmt::format("{:<36} {:<12} {:>16} {:>16} {:>10}\n", "Service", "figure", "baseline", "current", "change")
        << std::string(94, '-') << "\n";
    for (const auto& s : service) {
        const std::pair<const char*, std::optional<double> service_summary::*> figures[] = {
            {"avg", &service_summary::avg}, {"max", &service_summary::max}, {"last", &service_summary::last}};
        bool first = true;
        for (const auto& [label, field] : figures) {
            const auto& then = s.base.*field;
            const auto& now = s.current.*field;
            const auto text = [&](const std::optional<double>& v) { return v ? watch::format_watched(*v, s.unit) : "-"; };
            const auto change = then && now && *then != 0 ? fmt::format("{:+.1f} %", 100 * (*now - *then) / std::abs(*then)) : "";
            out << fmt::format("{:<36} {:<12} {:>16} {:>16} {:>10}\n", first ? s.name : "", label, text(then), text(now), change);
            first = false;
        }
        const auto trend = [&](const std::optional<double>& v) { return v ? watch::format_trend(*v, s.unit) : "-"; };
        out << fmt::format("{:<36} {:<12} {:>16} {:>16}\n", "", "trend", trend(s.base.slope_per_s), trend(s.current.slope_per_s));
    }
}

}  // namespace

std::string_view label_of(compared_metric m) {
    switch (m) {
        case compared_metric::rps: return "requests/s";
        case compared_metric::error_rate: return "error rate";
        case compared_metric::avg: return "avg ms";
        case compared_metric::p50: return "p50 ms";
        case compared_metric::p95: return "p95 ms";
        case compared_metric::p99: return "p99 ms";
    }
    return "?";
}

bool row_comparison::regressed() const {
    return std::any_of(metrics.begin(), metrics.end(), [](const auto& m) { return m.regressed; });
}

bool comparison::regressed() const {
    return total.regressed() || std::any_of(endpoints.begin(), endpoints.end(), [](const auto& e) { return e.regressed(); });
}

comparison compare_runs(run_summary base, run_summary current, const regression_bounds& bounds) {
    comparison c;
    c.bounds = bounds;
    c.total = compare_rows(base.total, current.total, bounds);
    c.total.method.clear();
    c.total.name = "Aggregated";
    std::map<std::string, const summary_row*> in_base;
    for (const auto& r : base.endpoints) in_base.emplace(key_of(r), &r);
    std::map<std::string, bool> matched;
    for (const auto& r : current.endpoints) {
        const auto it = in_base.find(key_of(r));
        if (it == in_base.end()) {
            c.only_current.push_back(r);
            continue;
        }
        matched[it->first] = true;
        c.endpoints.push_back(compare_rows(*it->second, r, bounds));
    }
    for (const auto& r : base.endpoints)
        if (!matched.count(key_of(r))) c.only_base.push_back(r);
    for (const auto& now : current.service)
        for (const auto& then : base.service)
            if (then.name == now.name) c.service.push_back({now.name, now.unit, then, now});
    c.base = std::move(base);
    c.current = std::move(current);
    return c;
}

void print_comparison(std::ostream& out, const comparison& c) {
    out << "Baseline: " << c.base.path << " (" << c.base.source << (c.base.started.empty() ? "" : ", " + c.base.started)
        << ")\nCurrent:  " << c.current.path << " (" << c.current.source
        << (c.current.started.empty() ? "" : ", " + c.current.started) << ")\n\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-36s %-12s %12s %12s %10s\n", "Endpoint", "metric", "baseline", "current", "change");
    out << line << std::string(88, '-') << "\n";
    for (const auto& e : c.endpoints) print_row(out, e);
    out << std::string(88, '-') << "\n";
    print_row(out, c.total);
    auto list = [&](const char* title, const std::vector<summary_row>& rows) {
        if (rows.empty()) return;
        out << "\n" << title << "\n";
        for (const auto& r : rows) out << "  " << (r.method.empty() ? "" : r.method + " ") << r.name << " (" << r.requests << " requests)\n";
    };
    list("Only in the baseline:", c.only_base);
    list("Only in the current run:", c.only_current);
    print_service(out, c.service);
    if (!c.bounds.judged()) return;
    out << "\n";
    if (!c.regressed()) {
        out << "No regression past the bounds";
    } else {
        std::size_t n = c.total.regressed() ? 1 : 0;
        for (const auto& e : c.endpoints) n += e.regressed() ? 1 : 0;
        out << "REGRESSED: " << n << " row(s) past the bounds";
    }
    if (c.bounds.max_regression_pct) out << " (latency up or requests/s down by more than " << *c.bounds.max_regression_pct << " %";
    if (c.bounds.max_error_increase_pts)
        out << (c.bounds.max_regression_pct ? "; " : " (") << "error rate up by more than " << *c.bounds.max_error_increase_pts
            << " points";
    out << ")\n";
}

json comparison_json(const comparison& c) {
    json endpoints = json::array();
    for (const auto& e : c.endpoints) endpoints.push_back(row_json(e));
    json service = json::array();
    for (const auto& s : c.service)
        service.push_back({{"name", s.name}, {"unit", s.unit}, {"base", service_json(s.base)}, {"current", service_json(s.current)}});
    return {{"base", side_json(c.base)}, {"current", side_json(c.current)},
            {"bounds", {{"max_regression_pct", optional_json(c.bounds.max_regression_pct)},
                        {"max_error_increase_pts", optional_json(c.bounds.max_error_increase_pts)}}},
            {"total", row_json(c.total)}, {"endpoints", std::move(endpoints)},
            {"only_base", only_json(c.only_base)}, {"only_current", only_json(c.only_current)},
            {"service", std::move(service)},
            {"regressed", c.regressed()}};
}

}  // namespace stampede::report
