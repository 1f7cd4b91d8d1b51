// Thresholds on the real binary: verdicts on the console and in the JSON, and the exit code
// they decide.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Half the requests fail (a 500 from /v1/opscore/agent/x/missing-route), half succeed fast.
std::string scenario_with(const demo_target& target, const std::string& thresholds) {
    return "host: " + target.url() + R"(
user_classes:
  - wait_time: {constant: 20ms}
    tasks:
      - {name: ok, path: /ok}
      - {name: broken, path: /no-such-route}
thresholds:
)" + thresholds;
}

}  // namespace

TEST_CASE("passing thresholds decide the exit code, not the failed requests", "[thresholds]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), scenario_with(target, R"(
  - p95 < 1s
  - success_rate > 20%
  - {endpoint: ok, expect: error_rate < 1%}
  - rps > 1
)"));
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "2", "-r", "10", "-t", "3s", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    CHECK(run.code == 0);  // requests failed, but every threshold passed
    CHECK(run.out.find("every threshold passed (4)") != std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["totals"]["failures"].get<int>() > 0);
    CHECK(result["thresholds_passed"] == true);
    REQUIRE(result["thresholds"].size() == 4);
    CHECK(result["thresholds"][2]["endpoint"] == "ok");
    CHECK(result["thresholds"][2]["measured"].get<double>() == 0.0);
}

TEST_CASE("a failed threshold exits 99, and one over an endpoint with no request has no data", "[thresholds]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("only_ok.yaml"), "host: " + target.url() + R"(
user_classes:
  - tasks:
      - {name: ok, path: /ok}
  - fixed_count: 0
    tasks:
      - {name: rare, path: /ok}
thresholds:
  - p99 < 10s
  - {endpoint: rare, expect: p50 < 10s}
)");
    // "rare" is in the run, but no user of its class runs: its threshold has no data.
    auto run = run_stampede({"run", "-f", dir.file("only_ok.yaml"), "-u", "1", "-r", "10", "-t", "2s",
                             "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    CHECK(run.code == 99);
    CHECK(run.out.find("FAIL  p50 < 10s (rare)") != std::string::npos);
    CHECK(run.out.find("measured no data") != std::string::npos);
    CHECK(run.out.find("1 of 2 threshold(s) failed") != std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["thresholds_passed"] == false);
    CHECK(result["thresholds"][1]["measured"].is_null());
}

TEST_CASE("validate finds a threshold that does not read, and an endpoint that does not exist", "[thresholds]") {
    temp_dir dir;
    write_file(dir.file("s.yaml"), R"(host: http://127.0.0.1:9
user_classes:
  - tasks: [{name: update state, path: /u}]
thresholds:
  - p95 < fast
  - {endpoint: update stat, expect: p95 < 1s}
  - {expect: rps > 1, endpont: x}
)");
    auto run = run_stampede({"validate", "-f", dir.file("s.yaml")});
    CHECK(run.code == 2);
    CHECK(run.err.find("s.yaml:5:5: a time threshold takes a duration") != std::string::npos);
    CHECK(run.err.find("s.yaml:6:16: no endpoint named 'update stat' (did you mean 'update state'?)") !=
          std::string::npos);
    CHECK(run.err.find("s.yaml:7:23: unknown key 'endpont'") != std::string::npos);
}

TEST_CASE("thresholds relative to a baseline result: the mission's 'p95 below 3x the baseline's'", "[thresholds]") {
    demo_target target;
    temp_dir dir;
    const auto plain = "host: " + target.url() + "\nuser_classes:\n  - tasks: [{name: ok, path: /ok}]\n";
    write_file(dir.file("plain.yaml"), plain);
    auto first = run_stampede({"run", "-f", dir.file("plain.yaml"), "-u", "2", "-r", "10", "-t", "2s", "--json", dir.file("base.json")});
    REQUIRE(first.code == 0);
    write_file(dir.file("relative.yaml"), plain + R"(thresholds:
  - p95 < 100x baseline
  - {endpoint: ok, expect: success_rate >= 1x baseline}
  - requests > 1000x baseline
)");
    auto run = run_stampede({"run", "-f", dir.file("relative.yaml"), "-u", "2", "-r", "10", "-t", "2s", "--baseline",
                             dir.file("base.json"), "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    CHECK(run.code == 99);  // a thousand times the baseline's requests cannot be met
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["thresholds"][0]["passed"] == true);
    CHECK(result["thresholds"][1]["passed"] == true);
    CHECK(result["thresholds"][2]["passed"] == false);
    CHECK(result["thresholds"][0]["measured_text"].get<std::string>().find(", limit ") != std::string::npos);

    auto missing = run_stampede({"run", "-f", dir.file("relative.yaml"), "-u", "1", "-t", "1s"});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("give one with --baseline RESULT.json") != std::string::npos);
    write_file(dir.file("bad.json"), "{\"not\": \"a result\"}");
    auto bad = run_stampede({"run", "-f", dir.file("relative.yaml"), "-u", "1", "-t", "1s", "--baseline", dir.file("bad.json")});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--baseline: " + dir.file("bad.json") + ": not a Stampede result") != std::string::npos);
}

TEST_CASE("a threshold over tasks the tags left out of the run is not judged, and is named", "[thresholds]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
user_classes:
  - tasks:
      - {name: ok, path: /ok}
      - {name: rare, path: /ok, tags: [rare]}
thresholds:
  - p99 < 10s
  - {endpoint: rare, expect: p50 < 10s}
  - {tag: rare, expect: error_rate < 1%}
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "1", "-r", "10", "-t", "1s", "--exclude-tags", "rare",
                             "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    CHECK(run.code == 0);
    CHECK(run.out.find("Not judged: p50 < 10s (endpoint rare)") != std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["thresholds"].size() == 1);
    CHECK(result["thresholds_left_out"] == json::array({"p50 < 10s (endpoint rare)", "error_rate < 1% (tag rare)"}));
}
