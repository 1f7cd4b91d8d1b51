#include "report/csv_reporter.hpp"

#include "common/text_file.hpp"
#include "report/result_view.hpp"

#include <fmt/format.h>

#include <sstream>

namespace stampede::report {

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

namespace {

std::string percentile_header() {
    std::string out;
    for (double p : reported_percentiles) out += "," + percentile_label(p);
    return out;
}

std::string number(double v) { return fmt::format("{}", v); }

std::string percentile_fields(const stats_row& r) {
    std::string out;
    for (double v : r.percentiles_ms) out += "," + (r.requests ? number(v) : std::string("N/A"));
    return out;
}

std::string stats_line(const stats_row& r) {
    return fmt::format("{},{},{},{},{},{},{},{},{},{},{}", csv_field(r.method), csv_field(r.qualified_name()),
                       r.requests, r.failures, number(r.median_ms), number(r.avg_ms),
                       number(r.min_ms), number(r.max_ms), number(r.avg_bytes), number(r.rps),
                       number(r.fps)) +
           percentile_fields(r);
}

std::string stats_csv(const result_view& view) {
    std::string out = "Type,Name,Request Count,Failure Count,Median Response Time,"
                      "Average Response Time,Min Response Time,Max Response Time,"
                      "Average Content Size,Requests/s,Failures/s" + percentile_header() + "\r\n";
    for (const auto* e : view.table) out += stats_line(e->row) + "\r\n";
    return out + stats_line(view.aggregated.row) + "\r\n";
}

std::string history_csv(const run_result& result) {
    std::string out = "Timestamp,User Count,Type,Name,Requests/s,Failures/s" + percentile_header() +
                      ",Total Request Count,Total Failure Count,Total Median Response Time,"
                      "Total Average Response Time,Total Min Response Time,"
                      "Total Max Response Time,Total Average Content Size\r\n";
    for (const auto& h : result.history) {
        const auto& t = h.total;
        out += fmt::format("{},{},,Aggregated,{:f},{:f}", h.unix_time, h.users, h.current_rps, h.current_fps);
        out += percentile_fields(t);  // cumulative, as Locust writes the Aggregated row
        out += fmt::format(",{},{},{},{},{},{},{}\r\n", t.requests, t.failures, number(t.median_ms),
                           number(t.avg_ms), number(t.min_ms), number(t.max_ms), number(t.avg_bytes));
    }
    return out;
}

std::string failures_csv(const result_view& view) {
    std::string out = "Method,Name,Error,Occurrences\r\n";
    for (const auto& e : view.errors)
        out += csv_field(e.endpoint->method) + "," + csv_field(qualify_name(e.endpoint->name, std::string(e.host))) +
               "," + csv_field(e.message) +
               "," + std::to_string(e.count) + "\r\n";
    return out;
}

// Stampede users raise no exceptions (errors are counted as failures); the file exists, with
// Locust's header, so tools that expect all four files keep working.
std::string exceptions_csv() { return "Count,Message,Traceback,Nodes\r\n"; }

// With open-model users: each endpoint's latencies measured from the moment sent, beside
// the corrected ones of _stats.csv (a file of its own: Locust's files keep their columns).
std::string uncorrected_csv(const result_view& view) {
    std::string out = "Type,Name,Request Count,50%,95%,99%,100%,Average Response Time\r\n";
    auto row = [&](const std::string& method, const std::string& name, const stats::histogram& h) {
        out += csv_field(method) + "," + csv_field(name) + "," + std::to_string(h.count()) + "," +
               number(to_ms(h.percentile(50))) + "," + number(to_ms(h.percentile(95))) + "," +
               number(to_ms(h.percentile(99))) + "," + number(to_ms(h.max())) + "," + number(h.mean() / 1000.0) + "\r\n";
    };
    for (const auto* e : view.table)
        if (!e->stats->uncorrected.empty()) row(e->row.method, e->row.qualified_name(), e->stats->uncorrected);
    row("", "Aggregated", *view.uncorrected_total);
    return out;
}

}  // namespace

std::string stats_csv_text(const run_result& result) { return stats_csv(make_result_view(result)); }

common::status write_csv_files(const run_result& result, const std::string& prefix) {
    const auto view = make_result_view(result);
    std::vector<std::pair<std::string, std::string>> files = {
        {prefix + "_stats.csv", stats_csv(view)},
        {prefix + "_stats_history.csv", history_csv(result)},
        {prefix + "_failures.csv", failures_csv(view)},
        {prefix + "_exceptions.csv", exceptions_csv()},
    };
    if (view.uncorrected_total) files.emplace_back(prefix + "_uncorrected_stats.csv", uncorrected_csv(view));
    for (const auto& [path, text] : files)
        if (auto written = common::write_text_file(path, text); !written) return written;
    return {};
}

}  // namespace stampede::report
