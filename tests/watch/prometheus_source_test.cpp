// A Prometheus endpoint read as a watched source, against the demo target in this process:
// each series' value over the interval equals what the target counted, a share is exact, a
// selector that matches nothing is said once, and an endpoint that fails or answers garbage
// gives no values and says why.
#include "watch/prometheus_source.hpp"

#include <catch2/catch.hpp>
#include <chrono>

#include "tests/watch/served_target.hpp"

using namespace stampede;
using namespace stampede::testing;
using namespace std::chrono_literals;

namespace {

watch::prometheus_series series(std::string name, const std::string& selector, const std::string& how = "") {
    auto q = watch::parse_selector(selector);
    REQUIRE(q.ok());
    if (!how.empty()) REQUIRE(watch::parse_reading(how, *q).ok());
    return {std::move(name), *q, std::nullopt};
}

void get_ok(const std::string& port, int times) {
    for (int i = 0; i < times; ++i) REQUIRE(watch::scrape(request_to(port, "/ok")).ok());
}

}  // namespace

TEST_CASE("a Prometheus source reads rates, values and shares as the target counted them", "[watch]") {
    demo::demo_config config;
    config.cache_hit_ratio = 0.75;
    served_target target(config);
    auto share = series("hit_ratio", "demo_cache_hits_total");
    share.share_with = *watch::parse_selector("demo_cache_misses_total");
    watch::prometheus_source source("endpoint", request_to(target.port, "/metrics"),
                                    {series("ok_rate", "demo_requests_total{route=\"ok\"}"),
                                     series("ok_total", "demo_requests_total{route=\"ok\"}", "value"),
                                     series("every_route", "demo_requests_total"), share});
    REQUIRE(source.series().size() == 4);
    CHECK(source.series()[0].unit == "/s");
    CHECK(source.series()[3].unit == "ratio");
    const auto t0 = std::chrono::steady_clock::now();
    const auto first = source.read(t0);
    REQUIRE_FALSE(first.failure);
    CHECK_FALSE(first.values[0]);  // a rate needs two readings
    CHECK(first.values[1] == 0.0);
    get_ok(target.port, 40);
    const auto second = source.read(t0 + 2s);
    REQUIRE_FALSE(second.failure);
    CHECK(second.values[0] == 20.0);  // 40 requests over 2 s
    CHECK(second.values[1] == 40.0);
    CHECK(second.values[2] == 20.0);  // /metrics is not a route the target counts
    CHECK(second.values[3] == 0.75);  // exactly one in four a miss
}

TEST_CASE("a selector that matches nothing is said on the first answer, once", "[watch]") {
    served_target target;
    watch::prometheus_source source("endpoint", request_to(target.port, "/metrics"),
                                    {series("typo", "demo_requestz_total"), series("fine", "demo_requests_in_flight")});
    const auto now = std::chrono::steady_clock::now();
    const auto first = source.read(now);
    REQUIRE(first.notes.size() == 1);
    CHECK(first.notes[0].find("'typo'") != std::string::npos);
    CHECK_FALSE(first.values[0]);
    CHECK(first.values[1]);
    CHECK(source.read(now + 1s).notes.empty());
}

TEST_CASE("a Prometheus source that fails or answers garbage gives no values and says why", "[watch]") {
    served_target target;
    SECTION("not the text format") {
        watch::prometheus_source source("endpoint", request_to(target.port, "/ok"), {series("x", "up")});
        const auto r = source.read(std::chrono::steady_clock::now());
        REQUIRE(r.failure);
        CHECK(r.failure->find("not in Prometheus's text format: line 1") != std::string::npos);
        CHECK_FALSE(r.values.at(0));
    }
    SECTION("an answer past its bound") {
        auto request = request_to(target.port, "/metrics");
        request.max_bytes = 100;
        watch::prometheus_source source("endpoint", request, {series("x", "up")});
        const auto r = source.read(std::chrono::steady_clock::now());
        REQUIRE(r.failure);
        CHECK(r.failure->find("100") != std::string::npos);
    }
    SECTION("an error status") {
        watch::prometheus_source source("endpoint", request_to(target.port, "/nowhere"), {series("x", "up")});
        CHECK(source.read(std::chrono::steady_clock::now()).failure == "HTTP 404");
    }
}

TEST_CASE("a series' unit follows Prometheus's naming conventions", "[watch]") {
    CHECK(watch::unit_of(series("a", "process_resident_memory_bytes")) == "B");
    CHECK(watch::unit_of(series("a", "http_request_duration_seconds", "p95")) == "s");
    CHECK(watch::unit_of(series("a", "process_cpu_seconds_total")) == "cores");
    CHECK(watch::unit_of(series("a", "net_sent_bytes_total")) == "B/s");
    CHECK(watch::unit_of(series("a", "jobs_total", "value")) == "");
    CHECK(watch::unit_of(series("a", "queue_depth")) == "");
}
