#include "master/baseline.hpp"

#include <nlohmann/json.hpp>

#include "common/text_file.hpp"
#include "master/histogram_json.hpp"

namespace stampede::master {

namespace {

using nlohmann::json;

// One row of the result (totals, or an endpoint): its counts and its histogram, whole.
common::result<stats::endpoint_stats> read_row(const json& row) {
    stats::endpoint_stats s;
    s.requests = row.at("requests").get<std::uint64_t>();
    s.failures = row.at("failures").get<std::uint64_t>();
    s.bytes = row.value("bytes", std::uint64_t{0});
    auto h = histogram_from_json(row.at("histogram"));
    if (!h) return h.why();
    s.latency = std::move(*h);
    return s;
}

common::result<baseline> read_document(const json& doc, baseline b) {
    b.duration_s = doc.at("duration_s").get<double>();
    auto totals = read_row(doc.at("totals"));
    if (!totals) return totals.why();
    b.totals = std::move(*totals);
    for (const auto& e : doc.at("endpoints")) {
        auto row = read_row(e);
        if (!row) return row.why();
        b.endpoints.push_back({{e.at("method").get<std::string>(), e.at("name").get<std::string>()}, std::move(*row)});
    }
    for (const auto& c : doc.value("checks", json::array()))
        b.checks.push_back({{c.at("method").get<std::string>(), c.at("name").get<std::string>()},
                            c.at("passed").get<std::uint64_t>(), c.at("failed").get<std::uint64_t>()});
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

}  // namespace stampede::master
