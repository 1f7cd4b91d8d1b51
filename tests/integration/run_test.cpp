// End-to-end runs: the real stampede binary against the real demo target on loopback.
#include <signal.h>

#include <algorithm>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const char* mixed_scenario = R"(
user_classes:
  - name: Writer
    weight: 3
    tasks:
      - {name: update state, method: POST, path: /v1/opscore/agent/a1/state, json: {s: 1}, weight: 3}
      - {name: read state, path: /v1/opscore/agent/a1/state, weight: 1}
  - name: Solver
    weight: 1
    wait_time: {constant: 10ms}
    tasks:
      - {name: solve, method: POST, path: /api/v1/jsonrpc, json: {jsonrpc: "2.0", id: 1, method: modular.solve}}
)";

std::string scenario_file(const temp_dir& dir, const std::string& host, const std::string& body) {
    const auto path = dir.file("scenario.yaml");
    write_file(path, "host: " + host + "\n" + body);
    return path;
}

json endpoint(const json& result, const std::string& name) {
    for (const auto& e : result["endpoints"])
        if (e["name"] == name) return e;
    FAIL("no endpoint " << name);
    return {};
}

}  // namespace

TEST_CASE("the result's total equals what the target served", "[run]") {
    demo_target target;
    temp_dir dir;
    auto run = run_stampede({"run", "-f", scenario_file(dir, target.url(), mixed_scenario), "--headless",
                             "-u", "8", "-r", "100", "-t", "3s", "--threads", "2",
                             "--json", dir.file("r.json"), "--csv", dir.file("r")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto served = target.served();
    CHECK(served > 100);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == served);
    CHECK(result["totals"]["failures"] == 0);
    CHECK(result["cancelled_requests"] == 0);
    std::uint64_t sum = 0;
    for (const auto& e : result["endpoints"]) sum += e["requests"].get<std::uint64_t>();
    CHECK(sum == served);
    const auto stats = target.stats();
    CHECK(endpoint(result, "solve")["requests"] == stats["routes"]["jsonrpc"]);
    CHECK(run.out.find("All users spawned: 8 user(s)") != std::string::npos);
    CHECK(run.out.find("users 8/8") != std::string::npos);  // the status line
    CHECK(!result["history"].empty());
    CHECK(!endpoint(result, "solve")["histogram"]["data"].get<std::string>().empty());
}

TEST_CASE("task weights produce the requested mix", "[run]") {
    demo_target target;
    temp_dir dir;
    auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - tasks:
      - {name: heavy, path: /ok, weight: 3}
      - {name: light, path: /health, weight: 1}
)");
    auto run = run_stampede({"run", "-f", path, "-u", "4", "-r", "100", "-t", "2s", "--seed", "11",
                             "--json", dir.file("r.json")});
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const double heavy = endpoint(result, "heavy")["requests"].get<double>();
    const double light = endpoint(result, "light")["requests"].get<double>();
    INFO("heavy " << heavy << " light " << light);
    REQUIRE(heavy + light > 2000);
    CHECK(heavy / (heavy + light) == Approx(0.75).margin(0.03));
}

TEST_CASE("injected errors are counted with their reasons and set the exit code", "[run]") {
    demo_target target({"--error-rate", "state=0.3"});
    temp_dir dir;
    auto path = scenario_file(dir, target.url(), mixed_scenario);
    auto run = run_stampede({"run", "-f", path, "-u", "4", "-r", "100", "-t", "2s", "--json",
                             dir.file("r.json"), "--csv", dir.file("r"), "--exit-code-on-error", "7"});
    INFO(run.out << run.err);
    CHECK(run.code == 7);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto update = endpoint(result, "update state");
    const double failure_share = update["failures"].get<double>() / update["requests"].get<double>();
    CHECK(failure_share == Approx(0.3).margin(0.08));
    CHECK(endpoint(result, "solve")["failures"] == 0);
    bool found = false;
    for (const auto& e : result["errors"]) {
        if (e["name"] == "update state") {
            found = true;
            CHECK(e["kind"] == "http_status");
            CHECK(e["code"] == 500);
            CHECK(e["message"] == "HTTP 500 (expected a status below 400)");
        }
    }
    CHECK(found);
    CHECK(read_file(dir.file("r_failures.csv")).find("POST,update state,HTTP 500 (expected a status below 400),") !=
          std::string::npos);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    CHECK(run.out.find("Error report") != std::string::npos);
}

TEST_CASE("a short deadline after a long one still fires on time", "[run]") {
    demo_target target({"--latency", "health=2s"});
    temp_dir dir;
    auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - tasks:
      - steps:
          - {name: fast, path: /ok, timeout: 60s}
          - {name: slow, path: /health, timeout: 150ms}
)");
    auto run = run_stampede({"run", "-f", path, "-u", "1", "-r", "10", "-t", "2s", "--json", dir.file("t.json")});
    CHECK(run.code == 1);
    const auto result = json::parse(read_file(dir.file("t.json")));
    const auto slow = endpoint(result, "slow");
    // Each slow request ends at its 150 ms deadline, not at the 60 s one armed before it.
    CHECK(slow["requests"].get<int>() >= 8);
    CHECK(slow["failures"] == slow["requests"]);
    CHECK(slow["max"].get<double>() < 300);
    CHECK(endpoint(result, "fast")["failures"] == 0);
}

TEST_CASE("timeouts and refused connections are failures of their own kind", "[run]") {
    demo_target target({"--latency", "health=2s"});
    temp_dir dir;
    auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - wait_time: {constant: 50ms}
    tasks:
      - {name: slow, path: /health, timeout: 200ms}
)");
    auto run = run_stampede({"run", "-f", path, "-u", "2", "-r", "10", "-t", "1s", "--json", dir.file("t.json")});
    CHECK(run.code == 1);
    auto result = json::parse(read_file(dir.file("t.json")));
    REQUIRE(result["errors"].size() == 1);
    CHECK(result["errors"][0]["kind"] == "timeout");
    CHECK(result["errors"][0]["message"] == "request timed out after 200ms");
    CHECK(result["totals"]["failures"] == result["totals"]["requests"]);

    // A port nobody listens on: every request is a connect failure, nothing crashes.
    auto refused = run_stampede({"run", "-f", path, "-H", "http://127.0.0.1:1", "-u", "1", "-t", "1s",
                                 "--json", dir.file("c.json")});
    CHECK(refused.code == 1);
    result = json::parse(read_file(dir.file("c.json")));
    REQUIRE(result["errors"].size() == 1);
    CHECK(result["errors"][0]["kind"] == "connect");
    CHECK(result["errors"][0]["message"] == "connect: Connection refused");
}

TEST_CASE("Ctrl-C stops the users and still writes every result file", "[run]") {
    for (int signal : {SIGINT, SIGTERM}) {
        INFO("signal " << signal);
        demo_target target;
        temp_dir dir;
        auto path = scenario_file(dir, target.url(), mixed_scenario);
        child_process run({STAMPEDE_BIN, "run", "--headless", "-f", path, "-u", "6", "-r", "100", "-t", "10m",
                           "--json", dir.file("i.json"), "--csv", dir.file("i")});
        REQUIRE(run.wait_for_output("All users spawned", 10s));
        REQUIRE(run.wait_for_output("req/s", 10s));
        run.send(signal);
        auto code = run.wait(15s);
        INFO(run.out() << run.err());
        REQUIRE(code);
        CHECK(*code == 0);
        CHECK(run.out().find("received: stopping the users") != std::string::npos);
        const auto result = json::parse(read_file(dir.file("i.json")));
        CHECK(result["interrupted"] == true);
        CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
        for (auto suffix : {"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"})
            CHECK(!read_file(dir.file(std::string("i") + suffix)).empty());
        const std::uint64_t before = target.served();
        std::this_thread::sleep_for(200ms);
        CHECK(target.served() == before);  // nothing keeps loading after the stop
    }
}

TEST_CASE("the CSV files use Locust's exact headers", "[run]") {
    demo_target target;
    temp_dir dir;
    auto run = run_stampede({"run", "-f", scenario_file(dir, target.url(), mixed_scenario), "-u", "2",
                             "-t", "2500ms", "--csv", dir.file("l")});
    REQUIRE(run.code == 0);
    const std::string percentiles = "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";
    auto first_line = [&](const char* suffix) {
        const auto text = read_file(dir.file(std::string("l") + suffix));
        return text.substr(0, text.find("\r\n"));
    };
    CHECK(first_line("_stats.csv") ==
          "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
          "Max Response Time,Average Content Size,Requests/s,Failures/s," + percentiles);
    CHECK(first_line("_stats_history.csv") ==
          "Timestamp,User Count,Type,Name,Requests/s,Failures/s," + percentiles +
              ",Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,"
              "Total Min Response Time,Total Max Response Time,Total Average Content Size");
    CHECK(first_line("_failures.csv") == "Method,Name,Error,Occurrences");
    CHECK(first_line("_exceptions.csv") == "Count,Message,Traceback,Nodes");
    const auto stats = read_file(dir.file("l_stats.csv"));
    CHECK(stats.find("\r\n,Aggregated,") != std::string::npos);
    const auto history = read_file(dir.file("l_stats_history.csv"));
    CHECK(std::count(history.begin(), history.end(), '\n') >= 3);  // header + a row per second
}

TEST_CASE("users reconnect when the server closes their connection", "[run]") {
    temp_dir dir;
    SECTION("announced: Connection: close every third request") {
        demo_target target({"--max-requests-per-connection", "3"});
        auto path = scenario_file(dir, target.url(), mixed_scenario);
        auto run = run_stampede({"run", "-f", path, "-u", "4", "-r", "100", "-t", "2s", "--json", dir.file("a.json")});
        INFO(run.out << run.err);
        CHECK(run.code == 0);
        const auto result = json::parse(read_file(dir.file("a.json")));
        CHECK(result["totals"]["failures"] == 0);
        CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    }
    SECTION("silent: idle connections dropped while users think") {
        demo_target target({"--idle-timeout", "100ms"});
        auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - wait_time: {constant: 250ms}
    tasks:
      - {name: state, method: POST, path: /v1/opscore/agent/a/state, json: {x: 1}}
)");
        auto run = run_stampede({"run", "-f", path, "-u", "3", "-r", "100", "-t", "2s", "--json", dir.file("s.json")});
        INFO(run.out << run.err);
        CHECK(run.code == 0);
        const auto result = json::parse(read_file(dir.file("s.json")));
        CHECK(result["totals"]["requests"].get<std::uint64_t>() >= 15);
        CHECK(result["totals"]["failures"] == 0);
        CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    }
}

TEST_CASE("the stop timeout cuts off requests that would not finish", "[run]") {
    demo_target target({"--latency", "health=5s"});
    temp_dir dir;
    auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - tasks:
      - {name: slow, path: /health}
)");
    const auto started = std::chrono::steady_clock::now();
    auto run = run_stampede({"run", "-f", path, "-u", "3", "-r", "100", "-t", "1s", "--stop-timeout", "300ms",
                             "--json", dir.file("c.json")});
    const auto took = std::chrono::steady_clock::now() - started;
    INFO(run.out << run.err);
    CHECK(run.code == 0);
    CHECK(took < 4s);  // did not wait for the 5 s responses
    const auto result = json::parse(read_file(dir.file("c.json")));
    CHECK(result["cancelled_requests"] == 3);
    CHECK(result["totals"]["requests"] == 0);
    CHECK(run.out.find("3 request(s) in flight were cut off") != std::string::npos);
}

TEST_CASE("users ramp up at the spawn rate", "[run]") {
    demo_target target;
    temp_dir dir;
    auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - wait_time: {constant: 100ms}
    tasks:
      - {path: /ok}
)");
    auto run = run_stampede({"run", "-f", path, "-u", "6", "-r", "2", "-t", "4s", "--json", dir.file("r.json")});
    REQUIRE(run.code == 0);
    const auto history = json::parse(read_file(dir.file("r.json")))["history"];
    REQUIRE(history.size() >= 4);
    // 1 user at once, then 2 per second: about 3 after 1 s, 5 after 2 s, all 6 by 3 s
    // (each figure as the worker last reported it, up to 100 ms old).
    CHECK(history[0]["users"].get<int>() >= 1);
    CHECK(history[0]["users"].get<int>() <= 4);
    CHECK(history[1]["users"].get<int>() >= 3);
    CHECK(history[1]["users"].get<int>() <= 6);
    CHECK(history[3]["users"] == 6);
}

TEST_CASE("an IPv6 literal host is reached, with the Host header in brackets", "[run]") {
    child_process target({DEMO_TARGET_BIN, "--host", "::1", "--port", "0"});
    REQUIRE(target.wait_for_output("listening on ::1:", 10s));
    const auto out = target.out();
    const int port = std::stoi(out.substr(out.find("::1:") + 4));
    temp_dir dir;
    auto run = run_stampede({"run", "-f", scenario_file(dir, "http://[::1]:" + std::to_string(port), R"(
user_classes:
  - tasks: [{name: health, path: /health}]
)"), "--headless", "-u", "2", "-r", "100", "-t", "1s", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["host"] == "http://[::1]:" + std::to_string(port));
    CHECK(result["totals"]["requests"].get<std::uint64_t>() > 10);
    CHECK(result["totals"]["failures"] == 0);
}

TEST_CASE("a ramp over several workers follows the one-process curve", "[run]") {
    demo_target target;
    temp_dir dir;
    auto run = run_stampede({"run", "-f", scenario_file(dir, target.url(), R"(
user_classes:
  - wait_time: 100ms
    tasks: [{name: health, path: /health}]
)"), "--headless", "-u", "3", "-r", "0.5", "-t", "6s", "--workers", "3", "--threads", "1", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    std::vector<int> users;
    for (const auto& h : result["history"]) users.push_back(h["users"].get<int>());
    REQUIRE(users.size() >= 6);
    users.pop_back();  // the last row is the partial interval after the stop
    INFO("users per interval: " << json(users).dump());
    // One user every 2 s over the cluster, as one process ramps: the rows (a second apart,
    // whatever their phase against the ramp) climb one user at a time, never two at once.
    CHECK(users.front() <= 1);
    CHECK(users.back() == 3);
    for (std::size_t i = 1; i < users.size(); ++i) {
        CHECK(users[i] >= users[i - 1]);
        CHECK(users[i] - users[i - 1] <= 1);
    }
    const auto rows_at = [&](int n) { return std::count(users.begin(), users.end(), n); };
    CHECK(rows_at(1) >= 1);
    CHECK(rows_at(1) <= 3);
    CHECK(rows_at(2) >= 1);
    CHECK(rows_at(2) <= 3);  // each level holds about two rows
}

TEST_CASE("a user whose every step is skipped still gives its thread back: the run stops on time", "[run]") {
    demo_target target;
    temp_dir dir;
    // The login's extraction fails (no such field), so the task, which needs its token, is
    // skipped at every iteration, with no wait time between them.
    auto path = scenario_file(dir, target.url(), R"(
user_classes:
  - on_start:
      - {name: login, path: /health, extract: {token: no_such_field}}
    tasks:
      - {name: needs token, path: "/ok?t={{ token }}"}
)");
    auto run = run_stampede({"run", "-f", path, "-u", "2", "-r", "100", "-t", "1s", "--threads", "1", "--json",
                             dir.file("r.json")}, std::chrono::seconds(20));
    INFO(run.out << run.err);
    CHECK(run.code == 1);  // the failed extractions
    const auto result = json::parse(read_file(dir.file("r.json")));
    REQUIRE(result["skipped_steps"].size() == 1);
    CHECK(result["skipped_steps"][0]["count"].get<std::uint64_t>() > 0);
}

TEST_CASE("each history row is timed by the span its counts cover: no two share a second, the last ends no spike",
          "[run]") {
    demo_target target;
    temp_dir dir;
    const auto path = scenario_file(dir, target.url(), "user_classes:\n  - wait_time: {constant: 50ms}\n    tasks: [{path: /ok}]\n");
    for (const auto* run_time : {"3700ms", "4200ms"}) {  // the run ends at different points of an interval
        const auto out = run_stampede({"run", "-f", path, "-u", "5", "-r", "100", "-t", run_time, "--json", dir.file("r.json"),
                                       "--csv", dir.file("r")});
        REQUIRE(out.code == 0);
        const auto result = json::parse(read_file(dir.file("r.json")));
        const auto& t = result["timeline"]["time"];
        const auto& n = result["timeline"]["requests"];
        REQUIRE(t.size() >= 4);
        std::vector<double> rates;  // per row over its own span; a span under 0.5 s with the one before, as the report draws it
        for (std::size_t i = 1; i < t.size(); ++i) {
            double span = t[i].get<double>() - t[i - 1].get<double>();
            double count = n[i].get<double>();
            CHECK(span > 0);
            if (span < 0.5) span += t[i - 1].get<double>() - (i > 1 ? t[i - 2].get<double>() : 0), count += n[i - 1].get<double>();
            rates.push_back(count / span);
        }
        auto sorted = rates;
        std::sort(sorted.begin(), sorted.end());
        const double steady = sorted[sorted.size() / 2];
        INFO("run " << run_time << ": times " << t.dump() << ", requests " << n.dump());
        CHECK(rates.back() == Approx(steady).epsilon(0.15));
        // Whole seconds in the history and its CSV, one row a second.
        std::int64_t previous = 0;
        for (const auto& h : result["history"]) {
            CHECK(h["time"].get<std::int64_t>() > previous);
            previous = h["time"].get<std::int64_t>();
        }
        const auto csv = read_file(dir.file("r_stats_history.csv"));
        std::set<std::string> seconds;
        std::size_t rows = 0;
        for (std::size_t at = csv.find('\n') + 1; at < csv.size(); at = csv.find('\n', at) + 1) {
            const auto line = csv.substr(at, csv.find('\n', at) - at);
            if (line.find(",Aggregated,") == std::string::npos) continue;
            ++rows;
            seconds.insert(line.substr(0, line.find(',')));
        }
        CHECK(rows == result["history"].size());
        CHECK(seconds.size() == rows);
    }
}
