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

TEST_CASE("a threshold relative to another figure is judged against that figure of the same run", "[verdicts]") {
    const auto result = sample();  // p50 10 ms, avg 99 ms, p99 900 ms
    const auto verdicts = judge_thresholds({threshold("p99 < 2x avg"), threshold("p50 < 2x avg"),
                                            threshold("p99 < 5x p50", {2})},
                                           result, nullptr, nullptr);
    CHECK_FALSE(verdicts[0].passed);
    CHECK(verdicts[0].measured_text.find(", limit ") != std::string::npos);
    CHECK(*verdicts[0].limit == Approx(2 * result.aggregate.latency.mean() / 1000.0));
    CHECK(verdicts[1].passed);
    CHECK(verdicts[1].chart.empty());  // a limit that depends on the run is not a line on a chart
    CHECK_FALSE(verdicts[2].passed);  // the idle endpoint: nothing to measure
    CHECK(verdicts[2].measured_text.find("no data for p50") != std::string::npos);
}

TEST_CASE("a threshold on a watched series is judged over its readings, its grace a warm-up left out", "[verdicts]") {
    auto result = sample();
    result.watch.interval_s = 1;
    result.watch.series = {{"mem", "B", "process svc", {}}};
    for (std::size_t t = 0; t < 10; ++t)  // flat for 5 s, then 1 MiB a second
        result.watch.put(0, t, {t < 5 ? 100.0 * (1 << 20) : (100.0 + static_cast<double>(t - 4)) * (1 << 20)});
    auto slope = threshold("watch.mem slope < 1MiB/min");
    slope.watched->unit = "B";
    auto late = slope;
    late.grace = 5s;
    auto flat = slope;
    flat.text = "early";
    const auto verdicts = judge_thresholds({slope, late, threshold("watch.mem max < 100MiB"), threshold("watch.nothing max < 1")},
                                           result, nullptr, nullptr);
    CHECK_FALSE(verdicts[0].passed);
    CHECK_FALSE(verdicts[1].passed);
    CHECK(*verdicts[1].measured == Approx(1 << 20));  // exactly 1 MiB a second once the warm-up is left out
    CHECK(verdicts[1].measured_text == "+60.0 MiB/min after 5s");
    CHECK(verdicts[1].chart.empty());  // a slope is no value on the series' chart
    CHECK(verdicts[2].chart == "watch.mem");
    CHECK(*verdicts[1].limit == Approx((1 << 20) / 60.0));
    CHECK_FALSE(verdicts[2].passed);
    CHECK(verdicts[3].measured_text == "no data");
    CHECK_FALSE(verdicts[3].passed);
}
