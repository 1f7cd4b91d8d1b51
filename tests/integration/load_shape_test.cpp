// Load shapes on the real binary: a master and in-process workers against the demo target,
// the users in the result's history compared with the plan.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The planned users `t` seconds into 3 s of ramp to 6, 2 s of hold, 4 s of ramp down to 0,
// and how far the cluster may be from it: a stage is entered on the run loop's tick, up to
// one tick (1 s) late, so the stage's users per second, and one user of rounding.
std::pair<double, double> planned(double t) {
    if (t <= 3) return {2 * t, 3};
    if (t <= 5) return {6, 1.5};
    return {std::max(0.0, 6 - 1.5 * (t - 5)), 2.5};
}

// A shaped run of `body` (the scenario after its host line) against the demo target, with
// `extra` flags; its console output and its JSON result.
scenario_run run_shape(const std::string& body, const std::vector<std::string>& extra) {
    demo_target target;
    auto r = run_scenario_with_result(target.url(), body, extra);
    INFO(r.run.out << r.run.err);
    REQUIRE(r.run.code == 0);
    return r;
}

}  // namespace

TEST_CASE("a staged run over 3 workers follows its plan, stage by stage", "[shape]") {
    const auto [run, result] = run_shape(R"(load:
  stages:
    - {duration: 3s, users: 6}
    - {duration: 2s, users: 6}
    - {duration: 4s, users: 0}
user_classes:
  - wait_time: {constant: 50ms}
    tasks: [{path: /ok}]
)", {"--workers", "3", "--threads", "1"});
    CHECK(run.out.find("Starting 3 stages, up to 6 user(s), on 3 worker(s)") != std::string::npos);
    CHECK(run.out.find("| stage 2/3") != std::string::npos);
    CHECK(result["load"]["users"] == 6);
    CHECK(result["load"]["run_time_s"].get<double>() == Approx(9.0));
    REQUIRE(result["load"]["stages"].size() == 3);
    const auto& stages = result["stages"];
    REQUIRE(stages.size() == 3);
    CHECK(stages[0]["users"] == 6);
    CHECK(stages[0]["spawn_rate"].get<double>() == Approx(2.0));
    CHECK(stages[1]["from"].get<double>() == Approx(3.0).margin(1.1));
    CHECK(stages[2]["users"] == 0);
    CHECK(stages[2]["spawn_rate"].get<double>() == Approx(1.5));
    const auto& history = result["history"];
    REQUIRE(history.size() >= 8);
    const auto start = history[0]["time"].get<double>() - 1;  // rows come each second from the start
    for (std::size_t i = 0; i + 1 < history.size() && i < 8; ++i) {
        const double t = history[i]["time"].get<double>() - start;
        const auto [users, slack] = planned(t);
        INFO("row " << i << " at " << t << " s: " << history[i]["users"] << " users, planned " << users);
        CHECK(std::abs(history[i]["users"].get<double>() - users) <= slack);
    }
    CHECK(result["totals"]["requests"].get<int>() > 100);
}

TEST_CASE("a staircase climbs its levels on the real cluster", "[shape]") {
    const auto result = run_shape(R"(load:
  staircase: {start: 2, add: 2, every: 2s, max: 6}
user_classes:
  - wait_time: {constant: 50ms}
    tasks: [{path: /ok}]
)", {"--workers", "2", "--threads", "1"}).result;
    CHECK(result["load"]["run_time_s"].get<double>() == Approx(6.0));
    const auto& stages = result["stages"];
    REQUIRE(stages.size() == 3);
    CHECK(stages[0]["users"] == 2);
    CHECK(stages[1]["users"] == 4);
    CHECK(stages[2]["users"] == 6);
    int most = 0;
    for (const auto& row : result["history"]) most = std::max(most, row["users"].get<int>());
    CHECK(most == 6);
}

TEST_CASE("a stage with users per class gives each class its own count", "[shape]") {
    const auto result = run_shape(R"(load:
  stages:
    - {duration: 2s, users: {Reader: 3}, spawn_rate: 10}
    - {duration: 2s, users: {Reader: 1, Writer: 2}, spawn_rate: 10}
user_classes:
  - {name: Reader, wait_time: {constant: 50ms}, tasks: [{name: read, path: /ok}]}
  - {name: Writer, wait_time: {constant: 50ms}, tasks: [{name: write, path: /ok}]}
)", {}).result;
    REQUIRE(result["workers"].size() == 1);
    CHECK(result["workers"][0]["users"] == json::array({1, 2}));  // as assigned when the run ended
    REQUIRE(result["stages"].size() == 2);
    CHECK(result["stages"][0]["users"] == 3);
    CHECK(result["stages"][1]["users"] == 3);
    int writes = 0;
    for (const auto& e : result["endpoints"]) writes += e["name"] == "write" ? e["requests"].get<int>() : 0;
    CHECK(writes > 0);
}
