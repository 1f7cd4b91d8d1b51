#include "conditions/verdicts.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace stampede::conditions;
using namespace stampede::report;
using namespace std::chrono_literals;

namespace {

lang::threshold_spec threshold(const std::string& text, std::vector<std::uint32_t> endpoints = {}) {
    auto t = *lang::parse_threshold(text);
    t.endpoint_ids = std::move(endpoints);
    if (!t.endpoint_ids.empty()) t.endpoint = "e" + std::to_string(t.endpoint_ids.front());
    if (!t.endpoint_ids.empty()) t.scope = lang::threshold_scope::endpoint;
    return t;
}

run_result sample() {
    run_result r;
    r.start = wall_clock::time_point{} + 1000h;
    r.end = r.start + 10s;
    r.endpoints = {{"GET", "fast"}, {"GET", "slow"}, {"GET", "idle"}};
    r.checks = {{0, "status 200", false, true}};
    r.totals = stats::stats_delta(3, 1);
    for (int i = 0; i < 90; ++i) r.totals.endpoints[0].record(10'000, 1, false);    // 10 ms
    for (int i = 0; i < 10; ++i) r.totals.endpoints[1].record(900'000, 1, i < 5);  // 900 ms, half failed
    r.totals.checks[0] = {99, 1};
    r.aggregate = r.totals.merged_endpoints();
    return r;
}

}  // namespace

TEST_CASE("thresholds are judged over the whole run or the endpoints they name", "[verdicts]") {
    const auto result = sample();
    const auto verdicts = judge_thresholds({threshold("p90 < 50ms"), threshold("p95 < 50ms"),
                                            threshold("p95 < 50ms", {0}), threshold("success_rate > 90%"),
                                            threshold("error_rate < 1%", {1}), threshold("rps >= 10"),
                                            threshold("check_pass_rate >= 99%")},
                                           result);
    REQUIRE(verdicts.size() == 7);
    CHECK(verdicts[0].passed);  // 90 of 100 at 10 ms
    CHECK_FALSE(verdicts[1].passed);
    CHECK(*verdicts[1].measured > 800);  // the slow endpoint's 900 ms
    CHECK(verdicts[2].passed);
    CHECK(verdicts[2].endpoint == "e0");
    CHECK(verdicts[3].passed);  // 95 %
    CHECK(*verdicts[3].measured == Approx(0.95));
    CHECK_FALSE(verdicts[4].passed);  // half of "slow" failed
    CHECK(verdicts[5].passed);        // 100 requests in 10 s
    CHECK(verdicts[6].passed);
    CHECK_FALSE(report::all_passed(verdicts));
    CHECK(report::all_passed({}));
}

TEST_CASE("a threshold over nothing has no data, and fails", "[verdicts]") {
    const auto result = sample();
    const auto verdicts = judge_thresholds({threshold("p95 < 1s", {2}), threshold("check_pass_rate > 0%", {2}),
                                            threshold("requests < 1", {2})},
                                           result);
    CHECK_FALSE(verdicts[0].passed);
    CHECK(verdicts[0].measured_text == "no data");
    CHECK_FALSE(verdicts[0].measured);
    CHECK_FALSE(verdicts[1].passed);
    CHECK(verdicts[2].passed);  // a count of 0 is a measurement
}
