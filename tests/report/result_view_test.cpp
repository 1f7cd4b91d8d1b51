#include "report/result_view.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace stampede::report;
using namespace std::chrono_literals;

namespace {

run_result sample() {
    run_result r;
    r.start = wall_clock::time_point{} + 1000h;
    r.end = r.start + 10s;
    r.endpoints = {{"POST", "b"}, {"GET", "b"}, {"GET", "a"}, {"GET", "never"}};
    r.checks = {{0, "status 200", false, true}, {2, "json ok", false, true}, {3, "filtered out", false, false}};
    r.totals = stats::stats_delta(4, 3);
    for (std::size_t i = 0; i < 3; ++i) r.totals.endpoints[i].record(1000 * (i + 1), 10, i == 0);
    r.aggregate.merge(r.totals.endpoints[0]);
    r.totals.checks[0] = {3, 1};
    r.totals.skipped[2] = 5;
    r.totals.add_error({0, stats::error_kind::check, 0}, "check failed: status 200");
    return r;
}

}  // namespace

TEST_CASE("the result view joins ids to names once, in the orders reporters show", "[view]") {
    const auto result = sample();
    const auto view = make_result_view(result);
    REQUIRE(view.endpoints.size() == 3);  // "never" saw no request
    CHECK(view.endpoints[0].row.method == "POST");  // the scenario's order
    REQUIRE(view.table.size() == 3);
    CHECK(view.table[0]->row.name == "a");  // Locust's: name, then method
    CHECK(view.table[1]->row.method == "GET");
    CHECK(view.table[2]->row.method == "POST");
    CHECK(view.table[0]->stats == &result.totals.endpoints[2]);
    CHECK(view.aggregated.row.name == "Aggregated");
    CHECK(view.aggregated.row.requests == 1);

    REQUIRE(view.errors.size() == 1);
    CHECK(view.errors[0].endpoint->name == "b");
    CHECK(view.errors[0].message == "check failed: status 200");

    REQUIRE(view.checks.size() == 2);  // the filtered-out check is not in the run
    CHECK(*view.checks[0].pass_rate == Approx(0.75));
    CHECK_FALSE(view.checks[1].pass_rate);  // never ran
    CHECK(view.checks[1].endpoint->name == "a");

    REQUIRE(view.skipped.size() == 1);
    CHECK(view.skipped[0].endpoint->name == "a");
    CHECK(view.skipped[0].count == 5);
}

TEST_CASE("a row's percentiles are read by value, never by position", "[view]") {
    const auto result = sample();  // the view borrows from it
    const auto view = make_result_view(result);
    const auto& row = view.table[1]->row;  // GET b: one request of 2 ms
    CHECK(row.percentile_ms(50) == Approx(2.0));
    CHECK(row.percentile_ms(99.9) == Approx(2.0));
    CHECK_THROWS(row.percentile_ms(42));
}

TEST_CASE("with named hosts, rows carry their host, one name on two hosts is two rows, and hosts roll up", "[view]") {
    run_result r;
    r.start = wall_clock::time_point{} + 1000h;
    r.end = r.start + 10s;
    r.hosts = {{"default", "http://a"}, {"core-1", "http://b"}, {"idle", "http://c"}};
    r.endpoints = {{"GET", "/health", 1}, {"GET", "/health", 0}, {"POST", "/work", 1}};
    r.totals = stats::stats_delta(3, 0);
    r.totals.endpoints[0].record(1000, 1, false);
    r.totals.endpoints[1].record(2000, 1, false);
    r.totals.endpoints[2].record(9000, 1, true);
    r.totals.add_error({2, stats::error_kind::http_status, 500}, "HTTP 500");
    const auto view = make_result_view(r);
    CHECK(view.named_hosts);
    REQUIRE(view.table.size() == 3);
    CHECK(view.table[0]->row.host == "core-1");  // "/health" on core-1 sorts before "/health" on default
    CHECK(view.table[0]->row.qualified_name() == "[core-1] /health");
    CHECK(view.table[1]->row.qualified_name() == "/health");
    REQUIRE(view.hosts.size() == 2);  // "idle" saw no request
    CHECK(view.hosts[0].name == "default");
    CHECK(view.hosts[0].row.requests == 1);
    CHECK(view.hosts[1].name == "core-1");
    CHECK(view.hosts[1].row.requests == 2);
    CHECK(view.hosts[1].row.failures == 1);
    CHECK(view.hosts[1].stats.latency.max() == r.totals.endpoints[2].latency.max());
    REQUIRE(view.errors.size() == 1);
    CHECK(view.errors[0].host == "core-1");

    run_result one = r;
    one.endpoints = {{"GET", "/health", 0}, {"GET", "/x", 0}, {"POST", "/work", 0}};
    const auto plain = make_result_view(one);
    CHECK_FALSE(plain.named_hosts);
    CHECK(plain.hosts.empty());
    CHECK(plain.table[0]->row.qualified_name() == "/health");
}
