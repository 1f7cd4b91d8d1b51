#include "master/baseline.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "common/text_file.hpp"
#include "stats/histogram_codec.hpp"

namespace stampede::master {

namespace {

using nlohmann::json;

common::result<std::string> from_base64(const std::string& text) {
    if (text.size() % 4 != 0) return common::fail("a histogram's data is not base64");
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return common::fail("a histogram's data is not base64");
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

// One row of the result (totals, or an endpoint): its counts and its histogram, whole.
common::result<stats::endpoint_stats> read_row(const json& row) {
    stats::endpoint_stats s;
    s.requests = row.at("requests").get<std::uint64_t>();
    s.failures = row.at("failures").get<std::uint64_t>();
    s.bytes = row.value("bytes", std::uint64_t{0});
    auto bytes = from_base64(row.at("histogram").at("data").get<std::string>());
    if (!bytes) return bytes.why();
    auto h = stats::decode_histogram(*bytes);
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
