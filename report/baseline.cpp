#include "report/baseline.hpp"

#include <nlohmann/json.hpp>

#include "common/text_file.hpp"
#include "report/histogram_json.hpp"
#include "report/result_document.hpp"

namespace stampede::report {

namespace {

using nlohmann::json;

// One row of the result (totals, or an endpoint): its counts and its histogram, whole.
common::result<stats::endpoint_stats> stats_of(const read_row& row, const std::string& what) {
    if (!row.requests || !row.failures || !row.histogram)
        return common::fail("not a Stampede result: " + what + " has no requests, failures and histogram");
    stats::endpoint_stats s;
    s.requests = *row.requests;
    s.failures = *row.failures;
    s.bytes = row.bytes;
    auto h = histogram_from_json(*row.histogram);
    if (!h) return h.why();
    s.latency = std::move(*h);
    return s;
}

common::result<baseline> read_document(const json& doc, baseline b) {
    if (!is_result_document(doc)) return common::fail(not_a_result);
    b.duration_s = doc.at("duration_s").get<double>();
    auto totals = stats_of(read_row_of(doc["totals"]), "totals");
    if (!totals) return totals.why();
    b.totals = std::move(*totals);
    for (const auto& e : doc["endpoints"]) {
        const auto read = read_row_of(e);
        auto row = stats_of(read, "endpoint '" + read.name + "'");
        if (!row) return row.why();
        b.endpoints.push_back({{read.method, read.name}, std::move(*row)});
    }
    auto checks = read_checks(doc);
    if (!checks) return checks.why();
    for (auto& c : *checks) b.checks.push_back({{std::move(c.method), std::move(c.name)}, c.passed, c.failed});
    return b;
}

}  // namespace

common::result<baseline> parse_baseline(const std::string& text, const std::string& path) {
    const auto where = "--baseline: " + path + ": ";
    const auto doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return common::fail(where + "not JSON (a result file written with --json)");
    try {
        baseline b;
        b.path = path;
        auto read = read_document(doc, std::move(b));
        if (!read) return common::fail(where + read.error());
        return read;
    } catch (const json::exception& e) {  // a key missing or of the wrong type
        return common::fail(where + "not a Stampede result: " + e.what());
    }
}

common::result<baseline> read_baseline(const std::string& path) {
    auto text = common::read_text_file(path, max_baseline_bytes);
    if (!text) return common::fail("--baseline: cannot read " + path + ": " + text.error());
    return parse_baseline(*text, path);
}

}  // namespace stampede::report
