#include "report/result_document.hpp"

#include "report/histogram_json.hpp"

namespace stampede::report {

using nlohmann::json;

json row_json(const stats_row& r, const stats::endpoint_stats& stats) {
    json percentiles = json::object();
    for (std::size_t i = 0; i < reported_percentiles.size(); ++i)
        percentiles[percentile_label(reported_percentiles[i])] = r.percentiles_ms[i];
    json row = {
        {"method", r.method},
        {"name", r.name},
        {"requests", r.requests},
        {"failures", r.failures},
        {"bytes", stats.bytes},
        {"avg_bytes", r.avg_bytes},
        {"rps", r.rps},
        {"fps", r.fps},
        {"min", r.min_ms},
        {"max", r.max_ms},
        {"mean", r.avg_ms},
        {"p50", r.percentile_ms(50)},
        {"p95", r.percentile_ms(95)},
        {"p99", r.percentile_ms(99)},
        {"percentiles", percentiles},
        {"histogram", histogram_to_json(stats.latency)},
    };
    if (!r.host.empty()) row["host"] = r.host;
    // Every WebSocket endpoint has its count, 0 where its steps send or receive none (a connect, a
    // close); rows of HTTP alone only where their WebSocket part made some (the aggregate).
    if (stats.messages > 0 || r.method == "WS") row["messages"] = stats.messages;
    return row;
}

json endpoint_key(const lang::endpoint& e, std::string_view host) {
    json key = {{"method", e.method}, {"name", e.name}};
    if (!host.empty()) key["host"] = host;
    return key;
}

json checks_json(const result_view& view) {
    json out = json::array();
    for (const auto& c : view.checks) {
        auto tally = endpoint_key(*c.endpoint, c.host);
        tally["check"] = c.check->description;
        tally["soft"] = c.check->soft;
        tally["passed"] = c.passed;
        tally["failed"] = c.failed;
        tally["pass_rate"] = c.pass_rate ? json(*c.pass_rate) : json(nullptr);
        out.push_back(std::move(tally));
    }
    return out;
}

bool is_result_document(const json& doc) {
    return doc.is_object() && doc.contains("stampede_version") && doc.contains("totals") && doc["totals"].is_object() &&
           doc.contains("endpoints") && doc["endpoints"].is_array();
}

namespace {

std::optional<double> number_of(const json& row, const char* key) {
    const auto it = row.find(key);
    if (it == row.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

std::string text_of(const json& row, const char* key) {
    const auto it = row.find(key);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::uint64_t> count_of(const json& row, const char* key) {
    const auto it = row.find(key);
    if (it == row.end() || !it->is_number_unsigned()) return std::nullopt;
    return it->get<std::uint64_t>();
}

}  // namespace

read_row read_row_of(const json& row) {
    read_row r;
    if (!row.is_object()) return r;
    r.method = text_of(row, "method");
    r.name = text_of(row, "name");
    r.host = text_of(row, "host");
    r.requests = count_of(row, "requests");
    r.failures = count_of(row, "failures");
    r.rps = number_of(row, "rps");
    r.mean_ms = number_of(row, "mean");
    r.p50_ms = number_of(row, "p50");
    r.p95_ms = number_of(row, "p95");
    r.p99_ms = number_of(row, "p99");
    r.bytes = count_of(row, "bytes").value_or(0);
    if (const auto it = row.find("histogram"); it != row.end()) r.histogram = &*it;
    return r;
}

common::result<std::vector<read_check>> read_checks(const json& doc) {
    std::vector<read_check> out;
    const auto it = doc.find("checks");
    if (it == doc.end()) return out;
    if (!it->is_array()) return common::fail("\"checks\" is not a list");
    for (const auto& c : *it) {
        const auto passed = c.is_object() ? count_of(c, "passed") : std::nullopt;
        const auto failed = c.is_object() ? count_of(c, "failed") : std::nullopt;
        if (!passed || !failed || !c.contains("method") || !c.contains("name"))
            return common::fail("check " + std::to_string(out.size() + 1) + " has no method, name, passed and failed");
        out.push_back({text_of(c, "method"), text_of(c, "name"), *passed, *failed});
    }
    return out;
}

// Every figure the page reads of a row, as row_json writes it.
common::status check_row(const json& row, const std::string& where) {
    for (const char* key : {"requests", "failures", "rps", "p50", "p95", "p99", "min", "max", "mean"})
        if (!row.contains(key) || !row[key].is_number()) return common::fail(where + ": \"" + key + "\" is not a number");
    if (!row.contains("percentiles") || !row["percentiles"].is_object())
        return common::fail(where + ": \"percentiles\" is not an object");
    return {};
}

}  // namespace stampede::report
