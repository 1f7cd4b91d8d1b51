#include "report/result_view.hpp"

#include <algorithm>
#include <tuple>

namespace stampede::report {

const std::string& host_name(const run_result& result, const lang::endpoint& endpoint) {
    static const std::string none;
    return endpoint.host < result.hosts.size() ? result.hosts[endpoint.host].name : none;
}

namespace {

void add_endpoints(const run_result& result, result_view& view) {
    const double seconds = result.stats_duration_s();
    for (std::size_t i = 0; i < result.endpoints.size() && i < result.totals.endpoints.size(); ++i) {
        const auto& stats = result.totals.endpoints[i];
        if (stats.requests == 0) continue;
        const auto& ep = result.endpoints[i];
        auto row = make_row(ep.method, ep.name, stats, seconds);
        row.host = host_name(result, ep);
        view.named_hosts = view.named_hosts || !is_default_host(row.host);
        view.endpoints.push_back({i, &stats, std::move(row)});
    }
    for (const auto& e : view.endpoints) view.table.push_back(&e);
    std::sort(view.table.begin(), view.table.end(), [](const endpoint_view* a, const endpoint_view* b) {
        return std::tie(a->row.name, a->row.method, a->row.host) < std::tie(b->row.name, b->row.method, b->row.host);
    });
    view.aggregated = {0, &result.aggregate, make_row("", "Aggregated", result.aggregate, seconds)};
}

// Per host, its endpoints merged, where the run names hosts.
void add_hosts(const run_result& result, result_view& view) {
    if (!view.named_hosts) return;
    std::vector<host_view> hosts(result.hosts.size());
    for (const auto& e : view.endpoints) {
        const auto host = result.endpoints[e.id].host;
        if (host >= hosts.size()) continue;
        hosts[host].stats.merge(*e.stats);
    }
    const double seconds = result.stats_duration_s();
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        if (hosts[i].stats.requests == 0) continue;
        hosts[i].name = result.hosts[i].name;
        hosts[i].row = make_row("", hosts[i].name, hosts[i].stats, seconds);
        hosts[i].row.host = hosts[i].name;
        view.hosts.push_back(std::move(hosts[i]));
    }
}

void add_checks(const run_result& result, result_view& view) {
    for (std::size_t i = 0; i < result.checks.size() && i < result.totals.checks.size(); ++i) {
        const auto& check = result.checks[i];
        if (!check.in_run) continue;
        const auto& tally = result.totals.checks[i];
        const auto& ep = result.endpoints[check.endpoint_id];
        check_view c{&ep, host_name(result, ep), &check, tally.passed, tally.failed, std::nullopt};
        if (const auto runs = tally.passed + tally.failed; runs > 0)
            c.pass_rate = static_cast<double>(tally.passed) / static_cast<double>(runs);
        view.checks.push_back(c);
    }
    for (std::size_t i = 0; i < result.totals.skipped.size() && i < result.endpoints.size(); ++i)
        if (result.totals.skipped[i] > 0)
            view.skipped.push_back({&result.endpoints[i], host_name(result, result.endpoints[i]), result.totals.skipped[i]});
}

// The open model's figures: per class, and the latencies without the correction.
void add_open_model(const run_result& result, result_view& view) {
    for (std::size_t i = 0; i < result.totals.classes.size() && i < result.user_classes.size(); ++i)
        if (!result.totals.classes[i].empty()) view.open_classes.push_back({&result.user_classes[i], &result.totals.classes[i]});
    const bool corrected = std::any_of(view.endpoints.begin(), view.endpoints.end(),
                                       [](const endpoint_view& e) { return !e.stats->uncorrected.empty(); });
    if (!corrected) return;
    view.uncorrected_total.emplace();
    for (const auto& e : view.endpoints)
        view.uncorrected_total->merge(e.stats->uncorrected.empty() ? e.stats->latency : e.stats->uncorrected);
}

}  // namespace

result_view make_result_view(const run_result& result) {
    result_view view;
    view.endpoints.reserve(result.endpoints.size());  // `table` points into it
    add_endpoints(result, view);
    add_hosts(result, view);
    for (const auto& [key, record] : result.totals.errors) {
        const auto& ep = result.endpoints.at(key.endpoint);
        view.errors.push_back({&ep, host_name(result, ep), key.kind, key.code, record.message, record.count});
    }
    add_checks(result, view);
    add_open_model(result, view);
    return view;
}

}  // namespace stampede::report
