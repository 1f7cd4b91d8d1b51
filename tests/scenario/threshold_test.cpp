#include "scenario/threshold.hpp"

#include <catch2/catch.hpp>

using namespace stampede::lang;

TEST_CASE("thresholds read as people write them", "[threshold]") {
    auto p95 = parse_threshold("p95 < 300ms");
    REQUIRE(p95.ok());
    CHECK(p95->metric == threshold_metric::percentile);
    CHECK(p95->percentile == 95);
    CHECK(p95->op == threshold_op::less);
    CHECK(p95->value == 300.0);
    auto deep = parse_threshold("p99.9<=1.5s");
    REQUIRE(deep.ok());
    CHECK(deep->percentile == 99.9);
    CHECK(deep->op == threshold_op::less_equal);
    CHECK(deep->value == 1500.0);
    auto success = parse_threshold("success_rate > 95%");
    REQUIRE(success.ok());
    CHECK(success->value == Approx(0.95));
    CHECK(parse_threshold("error_rate <= 0.01")->value == Approx(0.01));
    CHECK(parse_threshold("rps >= 100")->op == threshold_op::greater_equal);
    CHECK(parse_threshold("  avg < 2s ")->text == "avg < 2s");
}

TEST_CASE("a threshold that does not read says what was expected", "[threshold]") {
    CHECK(parse_threshold("p95 300ms").error().starts_with("a threshold reads METRIC < VALUE"));
    CHECK(parse_threshold("p101 < 1s").error() == "'p101': a percentile is p0.1 to p100");
    CHECK(parse_threshold("latency < 1s").error().starts_with("unknown metric 'latency' (metrics: p50, p95"));
    CHECK(parse_threshold("p95 < 300").error() ==
          "a time threshold takes a duration with its unit, such as 300ms or 1.5s");  // not 300 seconds
    CHECK(parse_threshold("success_rate > 120%").error() ==
          "a rate threshold takes a percentage (95%) or a fraction (0.95)");
    CHECK(parse_threshold("rps > lots").error() == "'lots' is not a number of 0 or more");
    CHECK(parse_threshold("rps >").error() == "the threshold has no value after its comparison");
}

TEST_CASE("a threshold holds by its comparison, and shows what was measured in its unit", "[threshold]") {
    auto t = *parse_threshold("p95 < 300ms");
    CHECK(threshold_holds(t, 299.9));
    CHECK_FALSE(threshold_holds(t, 300));
    CHECK(format_measured(t, 412.34) == "412.3 ms");
    auto rate = *parse_threshold("success_rate >= 95%");
    CHECK(threshold_holds(rate, 0.95));
    CHECK(format_measured(rate, 0.9621) == "96.21 %");
    CHECK(format_measured(*parse_threshold("rps > 1"), 120.54) == "120.5/s");
}

TEST_CASE("a threshold may be relative to a baseline result", "[threshold]") {
    auto t = parse_threshold("p95 < 3x baseline");
    REQUIRE(t.ok());
    CHECK(t->baseline_factor == 3.0);
    CHECK(parse_threshold("rps >= 0.8 x baseline")->baseline_factor == Approx(0.8));
    CHECK(parse_threshold("p95 < 3 baseline")->baseline_factor == 3.0);
    CHECK(parse_threshold("p95 < -1x baseline").error() ==
          "a baseline threshold reads METRIC OP FACTORx baseline, such as 'p95 < 3x baseline'");
    CHECK_FALSE(parse_threshold("p95 < baseline"));
}

TEST_CASE("a threshold on a watched series names it, what is read of it, and a value in its unit", "[threshold]") {
    auto t = parse_threshold("watch.opscore.memory slope < 1MiB/min");
    REQUIRE(t.ok());
    CHECK(t->metric == threshold_metric::watched);
    CHECK(t->watched->series == "opscore.memory");
    CHECK(t->watched->stat == watch_stat::slope);
    CHECK(t->value == Approx(1048576.0 / 60));
    CHECK(parse_threshold("watch.active max < 150")->value == 150);
    CHECK(parse_threshold("watch.memory growth < 5%")->value == Approx(0.05));
    CHECK(parse_threshold("watch.ratio avg > 0.6")->value == Approx(0.6));
    CHECK(parse_threshold("watch.p95 max < 300ms")->value == Approx(0.3));
    CHECK(parse_threshold("watch.rss last <= 2GiB")->value == 2.0 * (1 << 30));
    CHECK(parse_threshold("watch.rss last <= 4.5MiB")->value == 4.5 * (1 << 20));
    CHECK(parse_threshold("watch.rss last <= 4.5XB").error().find("is not a size") != std::string::npos);
    CHECK(parse_threshold("watch.queue slope < 10/h")->value == Approx(10.0 / 3600));
    CHECK(parse_threshold("watch.queue slope < 3")->value == 3);
    CHECK(parse_threshold("watch.x median < 3").error().find("unknown figure 'median'") != std::string::npos);
    CHECK(parse_threshold("watch.x < 3").error().find("watch.NAME STAT OP VALUE") != std::string::npos);
    CHECK(parse_threshold("watch.x slope < 1MiB/week").error().find("per s, min or h") != std::string::npos);
    CHECK(parse_threshold("watch.x max < lots").error().find("is not a number") != std::string::npos);
    CHECK(parse_threshold("watch.x max < 2x baseline").error() == "a watched series compares with a value, not a baseline");
}

TEST_CASE("a threshold relative to another figure of the run reads FACTORx METRIC", "[threshold]") {
    auto t = parse_threshold("p95 < 2x avg");
    REQUIRE(t.ok());
    REQUIRE(t->relative_to);
    CHECK(t->relative_to->metric == threshold_metric::avg);
    CHECK(t->relative_to->factor == 2);
    auto p = parse_threshold("p99 < 5x p50");
    REQUIRE(p.ok());
    CHECK(p->relative_to->metric == threshold_metric::percentile);
    CHECK(p->relative_to->percentile == 50);
    CHECK(parse_threshold("p95 < 2x rps").error().find("compares response times") != std::string::npos);
    CHECK(parse_threshold("p95 < 2x nothing").error().find("unknown metric 'nothing'") != std::string::npos);
    CHECK(parse_threshold("p95 < 3x baseline")->baseline_factor == 3);
}
