// The open model on the real binary: arrivals at their rate across workers, the correction
// for late starts against a target that stalls, dropped iterations, and a mixed run.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

scenario_run run_open(const demo_target& target, const std::string& body, const std::vector<std::string>& extra) {
    auto r = run_scenario_with_result(target.url(), body, extra);
    INFO(r.run.out << r.run.err);
    REQUIRE((r.run.code == 0 || r.run.code == 99));
    return r;
}

}  // namespace

TEST_CASE("an arrival rate is held across two workers, each taking its part", "[open]") {
    demo_target target;
    const auto [run, result] = run_open(target, R"(load: {run_time: 10s}
user_classes:
  - name: Arrivals
    arrival_rate: {rate: 400, users: 20, max_users: 100}
    tasks: [{path: /ok}]
)", {"--workers", "2", "--threads", "1"});
    CHECK(run.out.find("Starting arrivals 400/s (Arrivals, 20 to 100 users) on 2 worker(s)") != std::string::npos);
    REQUIRE(result["open_classes"].size() == 1);
    const auto& c = result["open_classes"][0];
    // Arrivals run from the first assignment to the stop: the run's length, give or take the stop.
    const double expected = 400 * result["duration_s"].get<double>();
    CHECK(c["iterations"].get<double>() == Approx(expected).epsilon(0.01));
    // Enough users are ready; a pause of the machine may still find none free for a moment.
    CHECK(c["dropped"].get<double>() <= 0.002 * expected);
    CHECK(c["start_lag"]["p99"].get<double>() < 5);  // milliseconds
    REQUIRE(result["workers"].size() == 2);
    for (const auto& w : result["workers"])
        CHECK(w["requests"].get<double>() == Approx(c["iterations"].get<double>() / 2).epsilon(0.01));
    CHECK(result["totals"]["requests"] == c["iterations"]);
    CHECK(result["endpoints"][0].contains("uncorrected"));
}

TEST_CASE("against a target that stalls, the corrected p99 shows the stall and the uncorrected one hides it", "[open]") {
    // For the first second of every three, /ok holds every request until the second ends.
    demo_target target({"--stall", "ok=3s:1s"});
    temp_dir csv;
    const auto [run, result] = run_open(target, R"(load: {run_time: 9s}
user_classes:
  - name: Steady
    arrival_rate: {rate: 100, users: 2, max_users: 2, max_delay: 2s}
    tasks: [{path: /ok}]
)", {"--workers", "2", "--threads", "1", "--csv", csv.file("p")});
    const auto uncorrected = read_file(csv.file("p_uncorrected_stats.csv"));
    CHECK(uncorrected.rfind("Type,Name,Request Count,50%,95%,99%,100%,Average Response Time\r\nGET,/ok,", 0) == 0);
    CHECK(uncorrected.find(",Aggregated,") != std::string::npos);
    CHECK(read_file(csv.file("p_stats.csv")).find("Type,Name,Request Count") == 0);  // Locust's columns, as ever
    const auto& e = result["endpoints"][0];
    INFO(e.dump());
    CHECK(e["p99"].get<double>() > 500);                 // from the intended start: the stall
    CHECK(e["uncorrected"]["p99"].get<double>() < 100);  // from the moment sent: only a few waited
    CHECK(result["totals"]["uncorrected"]["p99"].get<double>() < 100);
    CHECK(run.out.find("without the correction for late starts") != std::string::npos);
    const auto& c = result["open_classes"][0];
    CHECK(c["start_lag"]["p99"].get<double>() > 500);  // they waited for a user
    CHECK(c["dropped"].get<int>() < 60);  // a queue of two seconds holds a one-second stall, save at the stop
}

TEST_CASE("with too few users, iterations are dropped, counted and judged", "[open]") {
    demo_target target({"--latency", "health=50ms"});
    const auto [run, result] = run_open(target, R"(load: {run_time: 4s}
thresholds:
  - dropped_iterations < 1
  - {class: Few, expect: "iterations > 0"}
user_classes:
  - name: Few
    arrival_rate: {rate: 200, users: 2, max_users: 2}
    tasks: [{path: /health}]
)", {"--workers", "2", "--threads", "1"});
    CHECK(run.code == 99);
    const auto& c = result["open_classes"][0];
    CHECK(c["dropped"].get<int>() > 400);  // two users at 50 ms start about 40 a second of 200
    const double planned = 200 * result["duration_s"].get<double>();
    CHECK(c["iterations"].get<double>() + c["dropped"].get<double>() == Approx(planned).epsilon(0.02));
    CHECK(result["thresholds"][0]["passed"] == false);
    CHECK(result["thresholds"][1]["passed"] == true);
    CHECK(result["dropped_iterations"] == c["dropped"]);
    CHECK(run.out.find("Arrivals (open model)") != std::string::npos);
    CHECK(run.out.find("| dropped ") != std::string::npos);  // on the status line
}

TEST_CASE("an open class and a closed class run side by side", "[open]") {
    demo_target target;
    const auto [run, result] = run_open(target, R"(load: {users: 3, spawn_rate: 10, run_time: 3s}
user_classes:
  - name: Burst
    arrival_rate: {rate: 50, arrivals: poisson}
    tasks: [{name: burst, path: /ok}]
  - name: Reader
    wait_time: {constant: 100ms}
    tasks: [{name: read, path: /health}]
)", {"--workers", "2"});
    CHECK(run.out.find("Starting 3 user(s) at 10/s and arrivals 50/s (Burst") != std::string::npos);
    std::map<std::string, json> by_name;
    for (const auto& e : result["endpoints"]) by_name[e["name"]] = e;
    REQUIRE(by_name.count("burst"));
    REQUIRE(by_name.count("read"));
    CHECK(by_name["burst"].contains("uncorrected"));
    CHECK_FALSE(by_name["read"].contains("uncorrected"));  // no open user calls it
    CHECK(by_name["read"]["requests"].get<int>() > 30);    // 3 users, ten a second each
    // Poisson arrivals: about 150 in 3 s; within four standard deviations.
    CHECK(std::abs(by_name["burst"]["requests"].get<double>() - 50 * result["duration_s"].get<double>()) < 50);
}

TEST_CASE("a spinning pacer holds a climbing rate beside a closed class and stops on time", "[open]") {
    demo_target target;
    // 2 s at 100/s climbing to 300/s over 2 s: 200 + 400 iterations, split across 2 workers;
    // a closed class shares the threads that poll.
    const auto [run, result] = run_open(target, R"(load: {users: 2, spawn_rate: 10}
user_classes:
  - name: Precise
    arrival_rate:
      rate: 100
      stages: [{duration: 2s, rate: 100}, {duration: 2s, rate: 300}]
      users: 10
      timing: spin
    tasks: [{name: precise, path: /ok}]
  - name: Reader
    wait_time: {constant: 100ms}
    tasks: [{name: read, path: /health}]
)", {"--workers", "2", "--threads", "1"});
    const auto& c = result["open_classes"][0];
    CHECK(c["iterations"].get<double>() == Approx(600).epsilon(0.02));
    CHECK(c["dropped"].get<double>() <= 2);
    // The run ends when its stages do: the polling pacer does not hold the stop up.
    CHECK(result["duration_s"].get<double>() == Approx(4).margin(0.5));
    std::map<std::string, json> by_name;
    for (const auto& e : result["endpoints"]) by_name[e["name"]] = e;
    CHECK(by_name["read"]["requests"].get<int>() > 40);  // 2 users, ten a second each, for 4 s
}
