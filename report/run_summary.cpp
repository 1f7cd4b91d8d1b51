#include "report/run_summary.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <nlohmann/json.hpp>

#include "common/text_file.hpp"
#include "report/result_document.hpp"
#include "report/watch_json.hpp"
#include "report/stats_row.hpp"
#include "scenario/data_set.hpp"

namespace stampede::report {

using nlohmann::json;

namespace {

common::result<summary_row> summary_of(const read_row& row) {
    summary_row r;
    r.method = row.method;
    // Named as a Locust-format CSV names it, so either side of a comparison may be either.
    r.name = qualify_name(row.name, row.host);
    if (!row.requests || !row.failures || *row.failures > *row.requests)
        return common::fail("endpoint '" + r.name + "': \"requests\" and \"failures\" are not counts");
    r.requests = *row.requests;
    r.failures = *row.failures;
    r.rps = row.rps;
    if (r.requests > 0) {
        r.avg_ms = row.mean_ms;
        r.p50_ms = row.p50_ms;
        r.p95_ms = row.p95_ms;
        r.p99_ms = row.p99_ms;
    }
    return r;
}

common::result<run_summary> from_json(const json& doc, run_summary s) {
    if (!is_result_document(doc)) return common::fail("not a Stampede result (a file written with --json) nor a _stats.csv");
    s.source = "Stampede result";
    s.started = doc.value("start", std::string());
    auto total = summary_of(read_row_of(doc["totals"]));
    if (!total) return common::fail("totals: " + total.error());
    s.total = std::move(*total);
    s.total.name = "Aggregated";
    for (const auto& e : doc["endpoints"]) {
        if (!e.is_object()) return common::fail("an endpoint is not an object");
        auto row = summary_of(read_row_of(e));
        if (!row) return row.why();
        s.endpoints.push_back(std::move(*row));
    }
    auto watch = read_watch(doc.contains("watch") ? doc["watch"] : json());
    if (!watch) return watch.why();
    for (std::size_t i = 0; i < watch->series.size(); ++i) {  // figures from the readings, not the file's own
        const auto f = watch->figures(i);
        auto& out = s.service.emplace_back(service_summary{watch->series[i].name, watch->series[i].unit, {}, {}, {}, f.slope});
        if (f.readings) out.avg = f.avg, out.max = f.max, out.last = f.last;
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

}  // namespace stampede::report
