// The document's shared parts written and read back through the one place that names their keys.
#include "report/result_document.hpp"

#include <catch2/catch.hpp>

#include "report/histogram_json.hpp"
#include "report/json_reporter.hpp"

using namespace stampede;
using namespace stampede::report;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

run_result sample() {
    run_result r;
    r.start = wall_clock::time_point{} + 1000h;
    r.end = r.start + 10s;
    r.endpoints = {{"GET", "a"}, {"POST", "b"}};
    r.checks = {{0, "status 200", false, true}};
    r.totals = stats::stats_delta(2, 1);
    for (int i = 0; i < 4; ++i) r.totals.endpoints[0].record(1000 * (i + 1), 10, i == 0);
    r.totals.endpoints[1].record(2500, 20, false);
    for (const auto& e : r.totals.endpoints) r.aggregate.merge(e);
    r.totals.checks[0] = {3, 1};
    return r;
}

}  // namespace

TEST_CASE("a result's rows and check tallies read back as they were written", "[document]") {
    const auto doc = result_document(sample());
    REQUIRE(is_result_document(doc));
    const auto totals = read_row_of(doc["totals"]);
    CHECK(totals.requests == 5u);
    CHECK(totals.failures == 1u);
    CHECK(totals.bytes == 60);
    REQUIRE(totals.histogram);
    const auto h = histogram_from_json(*totals.histogram);
    REQUIRE(h);
    CHECK(h->count() == 5);
    REQUIRE(doc["endpoints"].size() == 2);
    const auto a = read_row_of(doc["endpoints"][0]);
    CHECK(a.method == "GET");
    CHECK(a.name == "a");
    CHECK(a.requests == 4u);
    REQUIRE(a.p50_ms);
    CHECK(*a.p50_ms > 1.0);
    REQUIRE(a.rps);
    CHECK(*a.rps == Approx(0.4));
    const auto checks = read_checks(doc);
    REQUIRE(checks);
    REQUIRE(checks->size() == 1);
    CHECK((*checks)[0].method == "GET");
    CHECK((*checks)[0].passed == 3);
    CHECK((*checks)[0].failed == 1);
}

TEST_CASE("what is not a result, a count that is not one and a broken tally are told apart", "[document]") {
    CHECK_FALSE(is_result_document(json::array()));
    CHECK_FALSE(is_result_document(json{{"stampede_version", "0.1.0"}, {"totals", 1}, {"endpoints", json::array()}}));
    const auto row = read_row_of(json{{"requests", -3}, {"failures", 1.5}, {"name", 7}});
    CHECK_FALSE(row.requests);
    CHECK_FALSE(row.failures);
    CHECK(row.name.empty());
    CHECK_FALSE(row.histogram);
    CHECK(read_checks(json::object())->empty());
    CHECK(read_checks(json{{"checks", "x"}}).error() == "\"checks\" is not a list");
    CHECK(read_checks(json{{"checks", {{{"method", "GET"}, {"name", "a"}, {"passed", 1}}}}}).error() ==
          "check 1 has no method, name, passed and failed");
}
