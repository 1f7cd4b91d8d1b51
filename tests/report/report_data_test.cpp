#include "report/report_data.hpp"

#include <catch2/catch.hpp>

#include "report/histogram_json.hpp"
#include "report/json_reporter.hpp"
#include "master/stats_aggregator.hpp"
#include "master/worker_timeline.hpp"

using namespace stampede;
using namespace stampede::master;
using namespace stampede::report;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A run of `endpoints` endpoints over three intervals, endpoint i getting i + 1 requests per
// interval at latencies spread over two decades, and two workers, one joining late.
run_result sample_run(std::size_t endpoints) {
    run_result r;
    r.start = wall_clock::time_point{} + 1000h;
    r.end = r.start + 3s;
    for (std::size_t i = 0; i < endpoints; ++i) r.endpoints.push_back({"GET", "/e" + std::to_string(i)});
    stats_aggregator agg(r);
    worker_timeline workers(r);
    std::uint64_t sent_a = 0, sent_b = 0;
    for (int interval = 1; interval <= 3; ++interval) {
        stats::stats_delta d(endpoints);
        for (std::size_t i = 0; i < endpoints; ++i)
            for (std::size_t n = 0; n <= i; ++n) d.endpoints[i].record(100 + 1000 * n, 10, n == 0);
        d.add_error({0, stats::error_kind::http_status, 500}, "HTTP 500");
        agg.add(d, r.start + std::chrono::seconds(interval), 5);
        sent_a += 7;
        std::vector<worker_sample> samples{{"a", "worker-a", "vm", worker_state::running, 3, sent_a, 0, 50, 0, {}}};
        if (interval >= 2) samples.push_back({"b", "worker-b", "vm", worker_state::running, 2, sent_b += 4, 0, 20, 0, {}});
        workers.add(samples);
    }
    return r;
}

}  // namespace

TEST_CASE("the report's data: each histogram becomes a distribution of the same counts", "[report]") {
    const auto doc = result_document(sample_run(3));
    auto data = make_report_data(doc);
    REQUIRE(data);
    CHECK_FALSE(data->contains("history"));
    CHECK_FALSE((*data)["totals"].contains("histogram"));
    for (const auto& e : (*data)["endpoints"]) {
        REQUIRE(e.contains("distribution"));
        std::uint64_t sum = 0;
        for (const auto& c : e["distribution"]["count"]) sum += c.get<std::uint64_t>();
        CHECK(sum == e["requests"].get<std::uint64_t>());
        const auto& upper = e["distribution"]["upper_ms"];
        CHECK(upper.size() == e["distribution"]["count"].size());
        for (std::size_t i = 1; i < upper.size(); ++i) CHECK(upper[i].get<double>() > upper[i - 1].get<double>());
        // Every request lies below the last bin's upper edge.
        CHECK(upper.back().get<double>() >= e["max"].get<double>());
    }
    std::uint64_t total = 0;
    for (const auto& c : (*data)["totals"]["distribution"]["count"]) total += c.get<std::uint64_t>();
    CHECK(total == (*data)["totals"]["requests"].get<std::uint64_t>());
}

TEST_CASE("the timeline holds every interval, per endpoint and per worker, aligned", "[report]") {
    const auto doc = result_document(sample_run(2));
    const auto& t = doc["timeline"];
    CHECK(t["time"] == json({1.0, 2.0, 3.0}));
    CHECK(t["requests"] == json({3, 3, 3}));  // 1 + 2 each interval
    CHECK(t["failures"] == json({2, 2, 2}));
    REQUIRE(t["endpoints"].size() == 2);
    CHECK(t["endpoints"][1]["name"] == "/e1");
    CHECK(t["endpoints"][1]["requests"] == json({2, 2, 2}));
    REQUIRE(t["workers"].size() == 2);
    CHECK(t["workers"][0]["requests"] == json({7, 7, 7}));
    CHECK(t["workers"][1]["requests"] == json({nullptr, 4, 4}));  // joined in the second interval
    CHECK(t["workers"][1]["cpu_percent"] == json({nullptr, 20.0, 20.0}));
}

TEST_CASE("the report's data is bounded and says what it left out", "[report]") {
    auto doc = result_document(sample_run(5));
    for (int i = 0; i < 7; ++i)
        doc["errors"].push_back({{"method", "GET"}, {"name", "/e0"}, {"kind", "transport"}, {"code", i},
                                 {"message", "m"}, {"occurrences", i}});
    report_limits limits;
    limits.endpoints_over_time = 2;
    limits.error_rows = 3;
    auto data = make_report_data(doc, limits);
    REQUIRE(data);
    const auto& series = (*data)["timeline"]["endpoints"];
    REQUIRE(series.size() == 2);  // the busiest two, in their order
    CHECK(series[0]["name"] == "/e3");
    CHECK(series[1]["name"] == "/e4");
    CHECK((*data)["timeline"]["endpoints_left_out"] == 3);
    CHECK((*data)["errors"].size() == 3);
    CHECK((*data)["errors"][0]["occurrences"] == 6);  // the most frequent kept
    CHECK((*data)["errors_left_out"] == 5);
    CHECK((*data)["endpoints"].size() == 5);  // the table keeps them all
}

TEST_CASE("a document that is not a result is refused with a reason, never thrown", "[report]") {
    CHECK(make_report_data(json::array()).error().find("not a Stampede result") != std::string::npos);
    CHECK(make_report_data(json{{"stampede_version", "0.1.0"}}).error().find("not a Stampede result") != std::string::npos);
    auto doc = result_document(sample_run(1));
    doc["endpoints"][0]["histogram"]["data"] = "not base64!";
    CHECK(make_report_data(doc).error().find("base64") != std::string::npos);
    doc = result_document(sample_run(1));
    doc["endpoints"][0]["name"] = 12;
    doc["endpoints"][0]["histogram"] = 3;
    CHECK_FALSE(make_report_data(doc));
    // What the page reads is checked, and the place named.
    doc = result_document(sample_run(1));
    doc["timeline"]["endpoints"][0]["requests"] = "many";
    CHECK(make_report_data(doc).error() == "timeline endpoints: \"requests\" is not a column of 3 entries");
    doc = result_document(sample_run(1));
    doc["timeline"]["endpoints"][0]["p95"] = json::array({1, "x", 3});
    CHECK(make_report_data(doc).error() == "timeline endpoints: \"p95\" holds something not a number");
    doc = result_document(sample_run(1));
    doc["timeline"]["users"].push_back(3);
    CHECK(make_report_data(doc).error() == "timeline: \"users\" is not a column of 3 entries");
    doc = result_document(sample_run(1));
    doc["endpoints"][0]["percentiles"] = "x";
    CHECK(make_report_data(doc).error() == "endpoint /e0: \"percentiles\" is not an object");
    doc = result_document(sample_run(1));
    doc.erase("timeline");
    CHECK(make_report_data(doc).error().find("no \"timeline\"") != std::string::npos);
}
