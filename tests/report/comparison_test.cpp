#include "report/comparison.hpp"
#include "report/json_reporter.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace stampede::report;

namespace {

// A Locust-format stats CSV: Stampede writes the same columns.
const char* locust_header =
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n";

std::string csv(const std::string& rows) { return locust_header + rows; }

summary_row row(const std::string& name, std::uint64_t requests, std::uint64_t failures, double rps, double p95) {
    summary_row r;
    r.method = name == "Aggregated" ? "" : "GET";
    r.name = name;
    r.requests = requests;
    r.failures = failures;
    r.rps = rps;
    r.avg_ms = p95 / 2;
    r.p50_ms = p95 / 3;
    r.p95_ms = p95;
    r.p99_ms = p95 * 1.5;
    return r;
}

run_summary summary(std::vector<summary_row> endpoints) {
    run_summary s;
    s.path = "x";
    s.total = row("Aggregated", 0, 0, 0, 0);
    for (const auto& e : endpoints) {
        s.total.requests += e.requests;
        s.total.failures += e.failures;
    }
    s.total.rps = 100;
    s.total.p95_ms = 10;
    s.endpoints = std::move(endpoints);
    return s;
}

const metric_change& metric(const row_comparison& r, compared_metric m) {
    for (const auto& c : r.metrics)
        if (c.metric == m) return c;
    FAIL("no such metric");
    return r.metrics.front();
}

}  // namespace

TEST_CASE("a Locust stats CSV reads as a run: its endpoints and its Aggregated row", "[compare]") {
    auto s = parse_run_summary(csv("GET,/a,100,2,12,13.5,1,90,20,10.5,0.2,12,14,15,16,20,30,40,50,80,90,90\n"
                                   "POST,\"b, with a comma\",0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
                                   ",Aggregated,100,2,12,13.5,1,90,20,10.5,0.2,12,14,15,16,20,30,40,50,80,90,90\n"),
                               "l_stats.csv");
    INFO((s ? std::string() : s.error()));
    REQUIRE(s);
    CHECK(s->source == "stats CSV, Locust's columns");
    REQUIRE(s->endpoints.size() == 2);
    CHECK(s->endpoints[0].requests == 100);
    CHECK(s->endpoints[0].failures == 2);
    CHECK(*s->endpoints[0].p95_ms == 30);
    CHECK(*s->endpoints[0].avg_ms == 13.5);
    CHECK(s->endpoints[1].name == "b, with a comma");
    CHECK_FALSE(s->endpoints[1].p95_ms);  // N/A: no requests
    CHECK(s->total.name == "Aggregated");
    CHECK(*s->total.rps == 10.5);
}

TEST_CASE("what is neither a result nor a stats CSV is refused, naming the file and the place", "[compare]") {
    CHECK(parse_run_summary("", "e.csv").error() == "e.csv: empty");
    CHECK(parse_run_summary("{\"a\": ", "r.json").error().find("r.json: not JSON") == 0);
    CHECK(parse_run_summary("{\"a\": 1}", "r.json").error().find("not a Stampede result") != std::string::npos);
    CHECK(parse_run_summary("a,b\n1,2\n", "x.csv").error() == "x.csv: not a Stampede result nor a _stats.csv: no column 'Type'");
    CHECK(parse_run_summary(csv("GET,/a,ten,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,1\n"), "l.csv").error() ==
          "l.csv: line 2: Request Count is not a number: 'ten'");
    CHECK(parse_run_summary(csv("GET,/a,1,5,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,1\n"), "l.csv").error() ==
          "l.csv: line 2: more failures than requests");
    CHECK(parse_run_summary(csv("GET,/a,1\n"), "l.csv").error().find("line 2: has 3 field(s)") != std::string::npos);
    CHECK(parse_run_summary(csv("GET,/a,1,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,1\n"), "l.csv").error() ==
          "l.csv: no Aggregated row");
    CHECK(parse_run_summary(R"({"stampede_version": "0.1.0", "totals": {}, "endpoints": []})", "r.json").error().find(
              "totals") != std::string::npos);
}

TEST_CASE("a comparison judges latencies up, the rate down and errors up against its bounds", "[compare]") {
    const auto base = summary({row("/same", 1000, 0, 100, 10), row("/slower", 1000, 0, 100, 10), row("/gone", 10, 0, 1, 5)});
    const auto current = summary({row("/same", 1000, 5, 95, 10.5), row("/slower", 1000, 30, 70, 20), row("/new", 10, 0, 1, 5)});
    regression_bounds bounds;
    bounds.max_regression_pct = 10;
    bounds.max_error_increase_pts = 1;
    const auto c = compare_runs(base, current, bounds);
    REQUIRE(c.endpoints.size() == 2);
    const auto& same = c.endpoints[0];
    CHECK(metric(same, compared_metric::p95).change == Approx(0.05));
    CHECK_FALSE(same.regressed());  // 5 % slower, 5 % fewer, 0.5 points more errors: within
    CHECK(metric(same, compared_metric::error_rate).change == Approx(0.5));
    const auto& slower = c.endpoints[1];
    CHECK(metric(slower, compared_metric::p95).regressed);
    CHECK(metric(slower, compared_metric::rps).regressed);         // 30 % fewer requests/s
    CHECK(metric(slower, compared_metric::error_rate).regressed);  // 3 points more errors
    CHECK(c.total.regressed());  // 35 errors in 2,010 requests: 1.7 points more
    CHECK(c.regressed());
    REQUIRE(c.only_base.size() == 1);
    CHECK(c.only_base[0].name == "/gone");
    REQUIRE(c.only_current.size() == 1);
    CHECK(c.only_current[0].name == "/new");

    std::ostringstream out;
    print_comparison(out, c);
    INFO(out.str());
    CHECK(out.str().find("REGRESSED: 2 row(s) past the bounds") != std::string::npos);  // /slower, and the total's errors
    CHECK(out.str().find("Only in the baseline:\n  GET /gone (10 requests)") != std::string::npos);

    const auto unjudged = compare_runs(base, current, {});
    CHECK_FALSE(unjudged.regressed());
    const auto j = comparison_json(c);
    CHECK(j["regressed"] == true);
    CHECK(j["endpoints"][1]["metrics"]["p95 ms"]["regressed"] == true);
}

TEST_CASE("a faster run is no regression, and a figure one side lacks is not judged", "[compare]") {
    auto base = summary({row("/a", 100, 0, 10, 20)});
    auto current = summary({row("/a", 100, 0, 12, 10)});
    current.endpoints[0].p99_ms.reset();
    regression_bounds bounds;
    bounds.max_regression_pct = 1;
    const auto c = compare_runs(base, current, bounds);
    CHECK_FALSE(c.regressed());
    CHECK_FALSE(metric(c.endpoints[0], compared_metric::p99).change);
}

TEST_CASE("a result's endpoints on named hosts are named as its CSV names them, so either side compares", "[compare]") {
    const char* result = R"({"stampede_version": "0.1.0", "start": "2026-12-05T10:00:00.000Z",
      "totals": {"method": "", "name": "Aggregated", "requests": 3, "failures": 0, "rps": 1, "mean": 1, "p50": 1, "p95": 1, "p99": 1},
      "endpoints": [
        {"method": "GET", "name": "/health", "host": "core-1", "requests": 1, "failures": 0, "rps": 1, "mean": 1, "p50": 1, "p95": 1, "p99": 1},
        {"method": "GET", "name": "/health", "host": "default", "requests": 2, "failures": 0, "rps": 1, "mean": 1, "p50": 1, "p95": 1, "p99": 1}]})";
    auto s = parse_run_summary(result, "r.json");
    INFO((s ? std::string() : s.error()));
    REQUIRE(s);
    REQUIRE(s->endpoints.size() == 2);
    CHECK(s->endpoints[0].name == "[core-1] /health");
    CHECK(s->endpoints[1].name == "/health");
}

TEST_CASE("the service's watched series both runs read are side by side, the rest left out", "[compare]") {
    auto base = summary({row("a", 10, 0, 5, 10)});
    auto current = summary({row("a", 10, 0, 5, 10)});
    base.service = {{"mem", "B", 100.0 * (1 << 20), 120.0 * (1 << 20), 110.0 * (1 << 20), 0.0},
                    {"gone", "", 1.0, 1.0, 1.0, std::nullopt}};
    current.service = {{"new", "", 1.0, 1.0, 1.0, std::nullopt},
                       {"mem", "B", 150.0 * (1 << 20), 180.0 * (1 << 20), 170.0 * (1 << 20), 1024.0}};
    const auto c = compare_runs(base, current, {});
    REQUIRE(c.service.size() == 1);
    CHECK(c.service[0].name == "mem");
    CHECK(*c.service[0].base.avg == 100.0 * (1 << 20));
    CHECK(*c.service[0].current.slope_per_s == 1024.0);
    CHECK_FALSE(c.regressed());  // shown, not judged
    std::ostringstream out;
    print_comparison(out, c);
    CHECK(out.str().find("100.0 MiB") != std::string::npos);
    CHECK(out.str().find("+50.0 %") != std::string::npos);
    CHECK(out.str().find("+60.0 KiB/min") != std::string::npos);
    const auto j = comparison_json(c);
    CHECK(j["service"][0]["current"]["max"] == 180.0 * (1 << 20));
}

TEST_CASE("a Stampede result's watched series are read into its summary, their figures from the readings", "[compare]") {
    run_result r;
    r.watch.series = {{"mem", "B", "process p", {}}};
    for (std::size_t t = 0; t < 4; ++t)
        if (t != 2) r.watch.put(0, t, {1.0 + 2.0 * static_cast<double>(t)});  // 1, 3, gap, 7
    auto doc = result_document(r);
    doc["watch"]["series"][0]["figures"]["max"] = 999;  // the file's own figures are not trusted
    auto s = parse_run_summary(doc.dump(), "r.json");
    REQUIRE(s.ok());
    REQUIRE(s->service.size() == 1);
    CHECK(*s->service[0].max == 7);
    CHECK(*s->service[0].avg == Approx(11.0 / 3));
    CHECK(*s->service[0].slope_per_s == Approx(2));
    doc["watch"]["series"][0]["values"][1] = "three";
    CHECK(parse_run_summary(doc.dump(), "r.json").error().find("neither a number nor null") != std::string::npos);
}
