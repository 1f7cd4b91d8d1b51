#include "master/stats_aggregator.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace std::chrono_literals;

TEST_CASE("the aggregator keeps exact totals and a current window", "[aggregator]") {
    report::run_result result;
    result.endpoints = {{"GET", "/a"}, {"POST", "/b"}};
    result.start = report::wall_clock::time_point{} + 1000h;
    master::stats_aggregator agg(result, 2);

    stats::stats_delta d1(2);
    for (int i = 0; i < 100; ++i) d1.endpoints[0].record(1000, 10, false);
    d1.endpoints[1].record(5000, 0, true);
    d1.add_error({1, stats::error_kind::http_status, 500}, "HTTP 500");
    agg.add(d1, result.start + 1s, 4);

    stats::stats_delta d2(2);
    for (int i = 0; i < 50; ++i) d2.endpoints[0].record(3000, 10, false);
    d2.add_error({1, stats::error_kind::http_status, 500}, "ignored: not the first message");
    agg.add(d2, result.start + 2s, 4);

    stats::stats_delta d3(2);
    agg.add(d3, result.start + 3s, 4);

    CHECK(result.totals.endpoints[0].requests == 150);
    CHECK(result.totals.endpoints[1].failures == 1);
    CHECK(result.aggregate.requests == 151);  // kept once, every endpoint together
    CHECK(result.aggregate.latency.count() == 151);
    const auto& errors = result.totals.errors;
    REQUIRE(errors.size() == 1);
    CHECK(errors.begin()->second.count == 2);
    CHECK(errors.begin()->second.message == "HTTP 500");

    REQUIRE(result.history.size() == 3);
    CHECK(result.history[0].current_rps == Approx(101.0));
    CHECK(result.history[1].total.requests == 151);
    // Window of 2 intervals: the last row sees only d2 and d3, 50 requests in 2 s.
    CHECK(result.history[2].current_rps == Approx(25.0));
    CHECK(result.history[2].current_p50_ms == Approx(3.0));
    CHECK(result.history[2].total.median_ms == Approx(1.0));

    // Per endpoint: the interval's counts, the window's percentiles.
    REQUIRE(result.history[0].endpoints.size() == 2);
    CHECK(result.history[0].endpoints[0].requests == 100);
    CHECK(result.history[0].endpoints[1].failures == 1);
    CHECK(result.history[0].endpoints[1].max_ms == Approx(5.0));
    CHECK(result.history[1].endpoints[0].requests == 50);
    CHECK(result.history[1].endpoints[0].p99_ms == Approx(3.0));   // 150 in the window, the top third at 3 ms
    CHECK(result.history[1].endpoints[0].p50_ms == Approx(1.0));
    CHECK(result.history[2].endpoints[0].requests == 0);
    CHECK(result.history[2].endpoints[0].p50_ms == Approx(3.0));  // the window has only d2 and d3 now
    CHECK(result.history[2].endpoints[1].max_ms == 0);            // d1 left the window
}
