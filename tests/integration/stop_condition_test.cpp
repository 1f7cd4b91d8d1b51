// Conditions judged while the run goes, on the real binary: a staircase that stops where the
// demo target breaks (past its configured capacity), and a threshold that aborts a run.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("a staircase with stop_when stops where the target breaks and reports its capacity", "[stop]") {
    // Up to 6 requests in flight are answered in 20 ms; past that, each waits 300 ms more.
    demo_target target({"--capacity", "6", "--overload-latency", "300ms", "--latency", "ok=20ms"});
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
load:
  staircase: {start: 2, add: 2, every: 3s, max: 20}
  stop_when: [{when: "p95 > 150ms", window: 2s}]
user_classes:
  - tasks: [{path: /ok}]
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--workers", "2", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);  // a stop condition ends the search; it is not a failure
    CHECK(run.out.find("Stopped at") != std::string::npos);
    CHECK(run.out.find("Breaking point: 8 user(s); the last load that held: 6 user(s)") != std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto& b = result["breaking_point"];
    CHECK(b["users"] == 8);
    CHECK(b["last_good_users"] == 6);
    // 6 users at about 20 ms each: about 300 requests a second.
    CHECK(b["max_sustainable_rps"].get<double>() == Approx(300).epsilon(0.25));
    CHECK(result["stopped_early"]["by"] == "stop_when");
    const auto& stages = result["stages"];
    REQUIRE(stages.size() == 4);  // 2, 4, 6, then 8 broke: the rest never ran
    for (int i = 0; i < 3; ++i) CHECK(stages[i]["outcome"] == "held");
    CHECK(stages[3]["outcome"] == "broke");
    CHECK(stages[3]["p95_ms"].get<double>() > 150);
    CHECK(stages[2]["p95_ms"].get<double>() < 100);
    CHECK(result["duration_s"].get<double>() < 14);  // the staircase would have run 30 s
    bool met = false;
    for (const auto& e : result["events"]) met = met || e["type"] == "stop_condition_met";
    CHECK(met);
}

TEST_CASE("a threshold with abort_on_fail ends the run early, exits 99 and says why", "[stop]") {
    demo_target target({"--latency", "ok=50ms"});
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
thresholds:
  - {expect: "p95 < 10ms", window: 2s, grace: 1s, abort_on_fail: true}
  - rps > 1
user_classes:
  - tasks: [{path: /ok}]
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "2", "-r", "10", "-t", "30s", "--json",
                             dir.file("r.json")});
    INFO(run.out << run.err);
    CHECK(run.code == 99);
    CHECK(run.out.find("threshold 'p95 < 10ms' failed") != std::string::npos);
    CHECK(run.out.find("(stopped the run)") != std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["duration_s"].get<double>() < 8);
    CHECK(result["stopped_early"]["by"] == "threshold");
    CHECK(result["thresholds"][0]["passed"] == false);
    CHECK(result["thresholds"][0]["stopped_run"] == true);
    CHECK(result["thresholds"][1]["passed"] == true);
    CHECK(result["breaking_point"].is_null());
}

TEST_CASE("a capacity search finds the demo target's configured capacity", "[stop]") {
    demo_target target({"--capacity", "6", "--overload-latency", "300ms", "--latency", "ok=20ms"});
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
load:
  capacity_search:
    start: 2
    multiply: 2
    max: 64
    step: 3s
    settle: 1s
    conditions: ["p95 < 150ms", "error_rate < 1%"]
user_classes:
  - tasks: [{path: /ok}]
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--workers", "2", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("Starting a capacity search from 2 up to 64 user(s)") != std::string::npos);
    CHECK(run.out.find("Capacity: 6 user(s) met every condition") != std::string::npos);
    CHECK(run.out.find("Missed at 7 user(s): p95 < 150ms") != std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto& b = result["breaking_point"];
    CHECK(b["capacity_search"] == true);
    CHECK(b["complete"] == true);
    CHECK(b["last_good_users"] == 6);
    CHECK(b["users"] == 7);
    CHECK(b["confirmed"] == true);
    CHECK(b["max_sustainable_rps"].get<double>() == Approx(300).epsilon(0.25));
    std::vector<int> steps;
    for (const auto& s : result["stages"]) steps.push_back(s["users"]);
    CHECK(steps == std::vector<int>{2, 4, 8, 6, 7, 6});
    CHECK(result["stages"].back()["name"] == "confirm");
    CHECK(result["stages"].back()["outcome"] == "confirmed");
    CHECK(result["stages"][2]["outcome"] == "missed");
}
