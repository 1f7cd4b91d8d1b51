// The demo target's /metrics read back by Stampede's own exposition reader: what it counts is
// what it served, its cache hits the share set, its response times in their buckets; and a leak
// on purpose is resident memory that grows at its rate.
#include "demo_target/demo_routes.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "watch/exposition_reader.hpp"

using namespace stampede;
using namespace stampede::demo;
using namespace std::chrono_literals;

namespace {

// Each sample's value by its name and labels as written ("x{route=\"ok\"}").
std::map<std::string, double> scrape(demo_service& s) {
    const auto answer = s.handle({"GET", "/metrics", "", ""});
    s.finished(answer);
    REQUIRE(answer.status == 200);
    REQUIRE(answer.content_type.starts_with("text/plain; version=0.0.4"));
    std::map<std::string, double> out;
    const auto ok = watch::read_exposition(answer.body, {}, [&](const watch::exposition_sample& sample) {
        std::string key(sample.name);
        if (!sample.labels.empty()) {
            key += "{";
            for (const auto& [n, v] : sample.labels) key.append(n).append("=\"").append(v).append("\",");
            key.back() = '}';
        }
        out[key] = sample.value;
    });
    REQUIRE(ok);
    return out;
}

double resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    double pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * 4096;
}

}  // namespace

TEST_CASE("/metrics counts what was served, by route, with response times and the cache's share", "[demo]") {
    demo_config config;
    config.latency[static_cast<std::size_t>(route::ok)] = {20ms, 0};
    config.cache_hit_ratio = 0.65;
    demo_service s(config);
    for (int i = 0; i < 40; ++i) s.finished(s.handle({"GET", "/ok", "", ""}));
    s.finished(s.handle({"GET", "/health", "", ""}));
    const auto m = scrape(s);
    CHECK(m.at("demo_requests_total{route=\"ok\"}") == 40);
    CHECK(m.at("demo_requests_total{route=\"health\"}") == 1);
    CHECK(m.at("demo_response_seconds_bucket{route=\"ok\",le=\"0.01\"}") == 0);
    CHECK(m.at("demo_response_seconds_bucket{route=\"ok\",le=\"0.025\"}") == 40);  // 20 ms each
    CHECK(m.at("demo_response_seconds_count{route=\"ok\"}") == 40);
    CHECK(m.at("demo_response_seconds_sum{route=\"ok\"}") == Approx(0.8));
    CHECK(m.at("demo_cache_hits_total") == 26);  // 65 % of 41 lookups, rounded down
    CHECK(m.at("demo_cache_misses_total") == 15);
    CHECK(m.at("demo_requests_in_flight") == 1);  // the scrape itself
    CHECK(m.at("process_resident_memory_bytes") > 1 << 20);
    CHECK(m.at("demo_leaked_bytes") == 0);
    CHECK(s.served() == 41);  // the scrape is not served load
}

TEST_CASE("/metrics says the modular service's own figures for its solves: active executions, duration", "[demo]") {
    demo_config config;
    config.latency[static_cast<std::size_t>(route::jsonrpc)] = {300ms, 0};
    demo_service s(config);
    const char* solve = R"({"jsonrpc":"2.0","id":7,"method":"modular.solve","params":{"query":"x"}})";
    const auto first = s.handle({"POST", "/api/v1/jsonrpc", solve, ""});
    const auto second = s.handle({"POST", "/api/v1/jsonrpc", solve, ""});
    s.finished(s.handle({"GET", "/ok", "", ""}));
    CHECK(scrape(s).at("modular_active_executions") == 2);  // both still being answered
    s.finished(first);
    s.finished(second);
    const auto m = scrape(s);
    CHECK(m.at("modular_active_executions") == 0);
    CHECK(m.at("modular_requests_total") == 2);
    CHECK(m.at("modular_request_duration_seconds_count") == 2);
    CHECK(m.at("modular_request_duration_seconds_bucket{le=\"0.25\"}") == 0);
    CHECK(m.at("modular_request_duration_seconds_bucket{le=\"0.5\"}") == 2);
    CHECK(m.at("modular_request_duration_seconds_sum") == Approx(0.6));
}

TEST_CASE("a leak on purpose keeps memory resident at its rate, up to its limit", "[demo]") {
    const double before = resident_bytes();
    {
        memory_leak leak(100 << 20, 30 << 20);  // 100 MiB a second, at most 30 MiB
        std::this_thread::sleep_for(500ms);
        CHECK(leak.leaked() == 30 << 20);
        CHECK(resident_bytes() - before >= 25 << 20);
    }
    memory_leak slow(10 << 20, 1 << 30);
    std::this_thread::sleep_for(350ms);
    CHECK(slow.leaked() >= 3 << 20);  // a tenth of the rate each 100 ms, the first at once
    CHECK(slow.leaked() <= 5 << 20);
}
