#include "master/run_summary.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

#include "common/text_file.hpp"
#include "master/stats_row.hpp"
#include "scenario/data_set.hpp"

namespace stampede::master {

using nlohmann::json;

namespace {

std::optional<double> number_of(const json& row, const char* key) {
    const auto it = row.find(key);
    if (it == row.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

common::result<summary_row> json_row(const json& row) {
    if (!row.is_object()) return common::fail("an endpoint is not an object");
    summary_row r;
    r.method = row.value("method", std::string());
    // Named as a Locust-format CSV names it, so either side of a comparison may be either.
    r.name = qualify_name(row.value("name", std::string()), row.value("host", std::string()));
    const auto requests = number_of(row, "requests"), failures = number_of(row, "failures");
    if (!requests || !failures || *requests < 0 || *failures < 0 || *failures > *requests)
        return common::fail("endpoint '" + r.name + "': \"requests\" and \"failures\" are not counts");
    r.requests = static_cast<std::uint64_t>(*requests);
    r.failures = static_cast<std::uint64_t>(*failures);
    const bool any = r.requests > 0;
    r.rps = number_of(row, "rps");
    if (any) {
        r.avg_ms = number_of(row, "mean");
        r.p50_ms = number_of(row, "p50");
        r.p95_ms = number_of(row, "p95");
        r.p99_ms = number_of(row, "p99");
    }
    return r;
}

common::result<run_summary> from_json(const json& doc, run_summary s) {
    if (!doc.is_object() || !doc.contains("stampede_version") || !doc.contains("totals") || !doc.contains("endpoints") ||
        !doc["endpoints"].is_array())
        return common::fail("not a Stampede result (a file written with --json) nor a _stats.csv");
    s.source = "Stampede result";
    s.started = doc.value("start", std::string());
    auto total = json_row(doc["totals"]);
    if (!total) return common::fail("totals: " + total.error());
    s.total = std::move(*total);
    s.total.name = "Aggregated";
    for (const auto& e : doc["endpoints"]) {
        auto row = json_row(e);
        if (!row) return row.why();
        s.endpoints.push_back(std::move(*row));
    }
    return s;
}

// A CSV cell as a number: empty or "N/A" (no requests) is none; anything else must parse.
common::result<std::optional<double>> csv_number(const std::string& cell, const std::string& column, std::size_t line) {
    if (cell.empty() || cell == "N/A") return std::optional<double>();
    double v = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || end != cell.data() + cell.size() || v < 0)
        return common::fail("line " + std::to_string(line) + ": " + column + " is not a number: '" + cell + "'");
    return std::optional<double>(v);
}

common::result<run_summary> from_csv(const std::string& text, run_summary s) {
    auto table = lang::parse_csv(text);
    if (!table) return common::fail("not a Stampede result nor a _stats.csv: " + table.error());
    std::map<std::string, std::size_t> at;
    for (std::size_t i = 0; i < table->columns.size(); ++i) at[table->columns[i]] = i;
    for (const char* needed : {"Type", "Name", "Request Count", "Failure Count", "Average Response Time", "Requests/s",
                               "50%", "95%", "99%"})
        if (!at.count(needed))
            return common::fail(std::string("not a Stampede result nor a _stats.csv: no column '") + needed + "'");
    s.source = "stats CSV, Locust's columns";
    bool total_seen = false;
    for (std::size_t i = 0; i < table->rows.size(); ++i) {
        const auto& cells = table->rows[i];
        const std::size_t line = i + 2;  // the header is line 1
        if (cells.size() != table->columns.size())
            return common::fail("line " + std::to_string(line) + ": " + std::to_string(cells.size()) + " cells, the header has " +
                                std::to_string(table->columns.size()));
        summary_row r;
        r.method = cells[at["Type"]];
        r.name = cells[at["Name"]];
        std::optional<double> counts[2];
        const char* count_columns[] = {"Request Count", "Failure Count"};
        for (int k = 0; k < 2; ++k) {
            auto v = csv_number(cells[at[count_columns[k]]], count_columns[k], line);
            if (!v) return v.why();
            counts[k] = *v;
        }
        r.requests = static_cast<std::uint64_t>(counts[0].value_or(0));
        r.failures = static_cast<std::uint64_t>(counts[1].value_or(0));
        if (r.failures > r.requests) return common::fail("line " + std::to_string(line) + ": more failures than requests");
        const std::pair<const char*, std::optional<double> summary_row::*> figures[] = {
            {"Requests/s", &summary_row::rps}, {"Average Response Time", &summary_row::avg_ms},
            {"50%", &summary_row::p50_ms}, {"95%", &summary_row::p95_ms}, {"99%", &summary_row::p99_ms}};
        for (const auto& [column, member] : figures) {
            auto v = csv_number(cells[at[column]], column, line);
            if (!v) return v.why();
            r.*member = *v;
        }
        if (r.name == "Aggregated" && r.method.empty()) {
            s.total = std::move(r);
            total_seen = true;
        } else {
            s.endpoints.push_back(std::move(r));
        }
    }
    if (!total_seen) return common::fail("no Aggregated row");
    return s;
}

}  // namespace

common::result<run_summary> parse_run_summary(const std::string& text, const std::string& path) {
    run_summary s;
    s.path = path;
    const auto first = text.find_first_not_of(" \t\r\n");
    common::result<run_summary> read = common::fail("empty");
    if (first != std::string::npos && text[first] == '{') {
        const auto doc = json::parse(text, nullptr, false);
        if (doc.is_discarded()) return common::fail(path + ": not JSON (a result file written with --json)");
        try {
            read = from_json(doc, std::move(s));
        } catch (const json::exception& e) {
            return common::fail(path + ": not a Stampede result: " + e.what());
        }
    } else if (first == std::string::npos) {
        return common::fail(path + ": empty");
    } else {
        read = from_csv(text, std::move(s));
    }
    if (!read) return common::fail(path + ": " + read.error());
    return read;
}

common::result<run_summary> read_run_summary(const std::string& path) {
    auto text = common::read_text_file(path, max_summary_bytes);
    if (!text) return common::fail("cannot read " + path + ": " + text.error());
    return parse_run_summary(*text, path);
}

}  // namespace stampede::master
