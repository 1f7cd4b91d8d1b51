#include "report/baseline.hpp"

#include <catch2/catch.hpp>

#include "report/json_reporter.hpp"
#include "conditions/verdicts.hpp"

using namespace stampede;
using namespace stampede::conditions;
using namespace stampede::report;
using namespace std::chrono_literals;

namespace {

run_result sample(std::uint64_t latency_us) {
    run_result r;
    r.start = wall_clock::time_point{} + 1000h;
    r.end = r.start + 10s;
    r.endpoints = {{"GET", "a"}, {"POST", "b"}};
    r.checks = {{1, "status 200", false, true}};
    r.totals = stats::stats_delta(2, 1);
    for (int i = 0; i < 100; ++i) r.totals.endpoints[0].record(latency_us, 10, false);
    for (int i = 0; i < 10; ++i) r.totals.endpoints[1].record(2 * latency_us, 10, i == 0);
    r.totals.checks[0] = {9, 1};
    r.aggregate = r.totals.merged_endpoints();
    return r;
}

lang::threshold_spec threshold(const std::string& text, const std::string& endpoint = {}, std::uint32_t id = 0) {
    auto t = *lang::parse_threshold(text);
    t.endpoint = endpoint;
    if (!endpoint.empty()) t.scope = lang::threshold_scope::endpoint;
    if (!endpoint.empty()) t.endpoint_ids = {id};
    return t;
}

}  // namespace

TEST_CASE("a result's JSON reads back as a baseline, histograms whole", "[baseline]") {
    const auto before = sample(10'000);
    auto base = parse_baseline(result_to_json(before), "r.json");
    REQUIRE(base.ok());
    CHECK(base->duration_s == Approx(10.0));
    CHECK(base->totals.requests == 110);
    CHECK(base->totals.latency == before.aggregate.latency);
    REQUIRE(base->endpoints.size() == 2);
    CHECK(base->endpoints[1].first.name == "b");
    CHECK(base->endpoints[1].second.failures == 1);
    REQUIRE(base->checks.size() == 1);
    CHECK(base->checks[0].passed == 9);
}

TEST_CASE("thresholds relative to a baseline compare with the same metric over the same scope", "[baseline]") {
    const auto base = *parse_baseline(result_to_json(sample(10'000)), "r.json");
    const auto now = sample(25'000);  // 2.5 times slower
    const auto verdicts = judge_thresholds({threshold("p95 < 3x baseline"), threshold("p95 < 2x baseline"),
                                            threshold("avg < 3x baseline", "b", 1), threshold("rps >= 1x baseline"),
                                            threshold("p50 < 2x baseline", "c", 7)},
                                           now, &base);
    CHECK(verdicts[0].passed);
    CHECK(verdicts[0].measured_text.find(", limit 6") != std::string::npos);  // 3 x about 20 ms
    // The limit the baseline gave, for the report's line on the latency chart.
    REQUIRE(verdicts[0].limit);
    CHECK(*verdicts[0].limit == Approx(3 * *verdicts[1].limit / 2));
    CHECK(*verdicts[0].limit > 59);
    CHECK(verdicts[0].chart == "latency");
    CHECK(verdicts[3].chart == "rps");
    CHECK_FALSE(verdicts[1].passed);
    CHECK(verdicts[2].passed);
    CHECK(verdicts[3].passed);  // the same number of requests in the same time
    CHECK_FALSE(verdicts[4].passed);
    CHECK(verdicts[4].measured_text.find("no data") != std::string::npos);

    const auto without = judge_thresholds({threshold("p95 < 3x baseline")}, now, nullptr);
    CHECK_FALSE(without[0].passed);
    CHECK(without[0].measured_text.ends_with("no baseline (--baseline)"));
    CHECK_FALSE(without[0].limit);  // no bound to draw
}

TEST_CASE("a file that is not a result is refused as a baseline, saying why", "[baseline]") {
    CHECK(parse_baseline("{", "x.json").error() == "--baseline: x.json: not JSON (a result file written with --json)");
    CHECK(parse_baseline("{\"duration_s\": 1}", "x.json").error().starts_with("--baseline: x.json: not a Stampede result"));
    auto damaged = result_to_json(sample(10'000));
    const auto at = damaged.find("\"data\": \"") + 9;
    damaged.replace(at, 4, "!!!!");
    CHECK(parse_baseline(damaged, "x.json").error().starts_with("--baseline: x.json: "));
    CHECK(read_baseline("/no/such.json").error() == "--baseline: cannot read /no/such.json: No such file or directory");
}
