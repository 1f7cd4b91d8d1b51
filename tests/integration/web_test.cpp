// The master's web server during real runs (two in-process workers, the demo target): every
// API route, the event stream, /metrics against the run's own totals and promtool, the stop,
// and what it answers to requests it does not serve.
#include <catch2/catch.hpp>
#include <csignal>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <thread>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// What every request of these tests that changes the run carries (request_guard).
const std::string control_token = "web-test-control-token";

struct web_run {
    temp_dir dir;
    std::unique_ptr<child_process> process;
    int port = 0;
};

// `stampede run` of the scenario with the web server on a free port; returns once it listens.
std::unique_ptr<web_run> start_web_run(const demo_target& target, const std::string& load,
                                       std::vector<std::string> extra, const std::string& more_classes = "") {
    auto r = std::make_unique<web_run>();
    write_file(r->dir.file("s.yaml"), "host: " + target.url() + "\n" + load + R"(
thresholds: [p95 < 5s]
user_classes:
  - name: Reader
    wait_time: {constant: 20ms}
    tasks:
      - {name: read, path: /ok, checks: [{status: 200}]}
      - {name: missing, path: /nope}
)" + more_classes);
    std::vector<std::string> args = {STAMPEDE_BIN, "run", "--headless", "-f", r->dir.file("s.yaml"), "--workers", "2",
                                     "--web-port", "0", "--json", r->dir.file("r.json"), "--web-token", control_token};
    args.insert(args.end(), extra.begin(), extra.end());
    r->process = std::make_unique<child_process>(args);
    REQUIRE(r->process->wait_for_output("Web UI on http://127.0.0.1:", 10s));
    const auto out = r->process->out();
    r->port = std::stoi(out.substr(out.find("Web UI on http://127.0.0.1:") + 27));
    REQUIRE(r->process->wait_for_output("Starting", 10s));
    return r;
}

// Polls /api/stats until every user runs and requests were counted.
void await_load(const web_run& run, int users) {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
        const auto r = http_raw(run.port, "GET /api/stats HTTP/1.0\r\n\r\n");
        const auto at = r.find("\r\n\r\n");
        if (at != std::string::npos) {
            const auto s = nlohmann::json::parse(r.substr(at + 4), nullptr, false);
            if (!s.is_discarded() && s["users"].get<int>() >= users && s["totals"]["requests"].get<int>() > 0) return;
        }
        std::this_thread::sleep_for(200ms);
    }
    FAIL("the run did not reach its users");
}

std::string request(const std::string& method, const std::string& path, const std::string& extra_headers = "",
                    const std::string& body = "") {
    const auto token = method == "GET" ? "" : "X-Stampede-Token: " + control_token + "\r\n";
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + token + extra_headers +
           (body.empty() && method == "GET" ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n") + "\r\n" + body;
}

int status_of(const std::string& response) {
    return response.size() > 12 ? std::atoi(response.substr(9, 3).c_str()) : 0;
}

json body_of(const std::string& response) {
    const auto at = response.find("\r\n\r\n");
    REQUIRE(at != std::string::npos);
    return json::parse(response.substr(at + 4));
}

// The value of the first sample line starting with `prefix` in an exposition.
double sample(const std::string& metrics, const std::string& prefix) {
    const auto at = metrics.find("\n" + prefix);
    REQUIRE(at != std::string::npos);
    const auto end = metrics.find('\n', at + 1);
    const auto line = metrics.substr(at + 1, end - at - 1);
    return std::stod(line.substr(line.rfind(' ') + 1));
}

}  // namespace

TEST_CASE("the web server answers every API route during a run, and /metrics matches the result", "[web]") {
    demo_target target;
    auto run = start_web_run(target, "load: {users: 4, spawn_rate: 100, run_time: 5s}", {"--metrics-linger", "20s"},
                             "  - {name: Burst, arrival_rate: {rate: 20, users: 2}, tasks: [{name: burst, path: /health}]}\n");
    await_load(*run, 4);
    std::this_thread::sleep_for(1500ms);  // two intervals of history

    auto stats = http_raw(run->port, request("GET", "/api/stats"));
    REQUIRE(status_of(stats) == 200);
    const auto s = body_of(stats);
    CHECK(s["state"] == "running");
    CHECK(s["users"].get<int>() >= 4);  // the closed users, and the open class's pool
    CHECK(s["workers_active"] == 2);
    CHECK(s["totals"]["requests"].get<int>() > 0);
    CHECK(s["endpoints"].size() == 3);
    CHECK_FALSE(s["totals"].contains("histogram"));

    const auto workers = body_of(http_raw(run->port, request("GET", "/api/workers")));
    REQUIRE(workers["workers"].size() == 2);
    for (const auto& w : workers["workers"]) {
        CHECK(w["state"] == "running");
        CHECK(w["users"].get<int>() >= 2);
        CHECK(w["last_heard_s_ago"].get<double>() < 3);
    }
    const auto history = body_of(http_raw(run->port, request("GET", "/api/history")));
    CHECK(history["time"].size() >= 2);
    CHECK(history["workers"].size() == 2);
    const auto so_far = body_of(http_raw(run->port, request("GET", "/api/result")));
    CHECK(so_far["state"] == "running");
    CHECK(so_far["totals"].contains("histogram"));
    const auto report = body_of(http_raw(run->port, request("GET", "/api/report")));
    CHECK(report["totals"].contains("distribution"));
    CHECK(report["thresholds_pending"] == json::array({"p95 < 5s"}));  // verdicts come at the end
    const auto page = http_raw(run->port, request("GET", "/"));
    CHECK(status_of(page) == 200);
    CHECK(page.find("Content-Type: text/html") != std::string::npos);
    CHECK(page.find("StampedeReport") != std::string::npos);

    // The event stream: a hello at once, then an event each interval.
    const auto events = http_raw(run->port, request("GET", "/api/stream"), 2500ms);
    CHECK(events.find("Content-Type: text/event-stream") != std::string::npos);
    CHECK(events.find("event: hello\ndata: {") != std::string::npos);
    CHECK(events.find("event: interval\ndata: {") != std::string::npos);

    // After the run, /metrics stays up (the linger) with the final figures: the result's.
    REQUIRE(run->process->wait_for_output("Serving the web UI and /metrics for", 15s));
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    const auto metrics = http_raw(run->port, request("GET", "/metrics"));
    REQUIRE(status_of(metrics) == 200);
    const auto exposition = metrics.substr(metrics.find("\r\n\r\n") + 4);
    for (const auto& e : result["endpoints"]) {
        const auto name = e["name"].get<std::string>();
        CHECK(sample(exposition, "stampede_requests_total{endpoint=\"" + name + "\",host=\"default\"") == e["requests"].get<double>());
        CHECK(sample(exposition, "stampede_request_duration_seconds_count{endpoint=\"" + name + "\"") ==
              e["requests"].get<double>());
    }
    CHECK(sample(exposition, "stampede_request_failures_total{endpoint=\"missing\"") ==
          result["endpoints"][1]["failures"].get<double>());
    CHECK(exposition.find("status_class=\"4xx\"") != std::string::npos);
    CHECK(sample(exposition, "stampede_run_running{") == 0);
    CHECK(sample(exposition, "stampede_threshold_passed{") == 1);
    CHECK(sample(exposition, "stampede_iterations_total{") == result["open_classes"][0]["iterations"].get<double>());
    CHECK(sample(exposition, "stampede_checks_total{check=\"status 200\",endpoint=\"read\",host=\"default\",result=\"pass\"") ==
          result["checks"][0]["passed"].get<double>());
    write_file(run->dir.file("metrics.txt"), exposition);
    CHECK(std::system(("promtool check metrics < " + run->dir.file("metrics.txt")).c_str()) == 0);

    // The Grafana dashboard in docs/ reads these metrics: each name it uses is exposed, and
    // each query parses (as a recording rule, with Grafana's variables filled in).
    const auto dashboard = json::parse(read_file(GRAFANA_DASHBOARD));
    std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
    int queries = 0;
    for (const auto& panel : dashboard["panels"])
        for (const auto& target : panel["targets"]) {
            auto expr = target["expr"].get<std::string>();
            for (std::size_t at; (at = expr.find("$__rate_interval")) != std::string::npos;) expr.replace(at, 16, "1m");
            for (std::size_t at; (at = expr.find("$run_id")) != std::string::npos;) expr.replace(at, 7, ".*");
            rules += "      - record: dashboard_query_" + std::to_string(queries++) + "\n        expr: '" + expr + "'\n";
            for (std::size_t at = 0; (at = expr.find("stampede_", at)) != std::string::npos;) {
                const auto end = expr.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", at);
                const auto name = expr.substr(at, end - at);
                INFO(name);
                CHECK(exposition.find("\n" + name + "{") != std::string::npos);
                at = end;
            }
        }
    CHECK(queries >= 10);
    write_file(run->dir.file("rules.yml"), rules);
    CHECK(std::system(("promtool check rules " + run->dir.file("rules.yml") + " >/dev/null").c_str()) == 0);
    run->process->send(SIGINT);  // ends the linger
    CHECK(run->process->wait(10s) == 0);
}

TEST_CASE("POST /api/stop ends a run, and the result says so", "[web]") {
    demo_target target;
    auto run = start_web_run(target, "load: {users: 2, spawn_rate: 100, run_time: 60s}", {});
    await_load(*run, 2);
    CHECK(status_of(http_raw(run->port, request("GET", "/api/stop"))) == 405);
    const auto stopped = http_raw(run->port, request("POST", "/api/stop"));
    CHECK(status_of(stopped) == 200);
    CHECK(body_of(stopped)["state"] == "stopping");
    const auto code = run->process->wait(20s);
    REQUIRE(code);
    CHECK(*code == 0);
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    CHECK(result["duration_s"].get<double>() < 10);
    CHECK(result["events"].back()["detail"] == "stopped from the web API");
}

TEST_CASE("the web server refuses what it does not serve, in JSON with the right status", "[web]") {
    demo_target target;
    auto run = start_web_run(target, "load: {users: 1, spawn_rate: 100, run_time: 8s}",
                             {"--web-auth", "ops:s3cret"});
    // Without the credentials, nothing but a 401 that asks for them.
    auto r = http_raw(run->port, request("GET", "/api/stats"));
    CHECK(status_of(r) == 401);
    CHECK(r.find("WWW-Authenticate: Basic") != std::string::npos);
    CHECK(status_of(http_raw(run->port, request("GET", "/metrics", "Authorization: Basic b3BzOndyb25n\r\n"))) == 401);
    const std::string auth = "Authorization: Basic b3BzOnMzY3JldA==\r\n";  // ops:s3cret
    CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", auth))) == 200);
    r = http_raw(run->port, request("GET", "/api/nothing", auth));
    CHECK(status_of(r) == 404);
    CHECK(body_of(r)["error"] == "no such route: /api/nothing");
    r = http_raw(run->port, request("PUT", "/api/stats", auth, "{}"));
    CHECK(status_of(r) == 405);
    CHECK(r.find("Allow: GET") != std::string::npos);
    // Oversized: a body past 64 KiB, headers past 16 KiB.
    CHECK(status_of(http_raw(run->port, request("POST", "/api/stop", auth, std::string(70'000, 'x')))) == 413);
    CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", auth + "X-Big: " + std::string(20'000, 'y') + "\r\n"))) ==
          431);
    // Malformed: not HTTP at all.
    r = http_raw(run->port, "HELLO THERE\r\n\r\n");
    CHECK(status_of(r) == 400);
    // The run went on through all of it.
    CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", auth))) == 200);
    // A second master on the same port says so, before any worker starts.
    const auto second = run_stampede({"run", "--headless", "-f", run->dir.file("s.yaml"), "-t", "1s", "--web-port",
                                      std::to_string(run->port)});
    CHECK(second.code == 2);
    CHECK(second.err == "error: --web-port: cannot listen on 127.0.0.1:" + std::to_string(run->port) +
                            ": Address already in use\n");
    CHECK(run_stampede({"run", "-f", run->dir.file("s.yaml"), "--web-host", "localhost"}).err.find(
              "expected an IP address such as 127.0.0.1") != std::string::npos);
    run->process->send(SIGINT);
    CHECK(run->process->wait(20s));
}

TEST_CASE("POST /api/swarm changes the users while the run goes, /api/reset starts the statistics again", "[web]") {
    demo_target target;
    auto run = start_web_run(target, "load: {users: 2, spawn_rate: 100, run_time: 30s}", {});
    await_load(*run, 2);
    const std::string json_type = "Content-Type: application/json\r\n";
    // What it refuses, naming the field.
    auto r = http_raw(run->port, request("POST", "/api/swarm", json_type, R"({"users": -1, "spawn_rate": 5})"));
    CHECK(status_of(r) == 400);
    CHECK(body_of(r)["error"] == "'users' must be a number from 0 to 10000000");
    r = http_raw(run->port, request("POST", "/api/swarm", json_type, R"({"users": 2.5, "spawn_rate": 5})"));
    CHECK(body_of(r)["error"] == "'users' must be a whole number");
    r = http_raw(run->port, request("POST", "/api/swarm", json_type, R"({"users": 3})"));
    CHECK(body_of(r)["error"] == "'spawn_rate' is missing");
    r = http_raw(run->port, request("POST", "/api/swarm", json_type, "{not json"));
    CHECK(body_of(r)["error"] == "the body is not a JSON object");
    // A form, as Locust's page posts it.
    r = http_raw(run->port, request("POST", "/api/swarm", "Content-Type: application/x-www-form-urlencoded\r\n",
                                    "user_count=6&spawn_rate=50"));
    REQUIRE(status_of(r) == 200);
    CHECK(body_of(r)["users"] == 6);
    await_load(*run, 6);

    const auto before = body_of(http_raw(run->port, request("GET", "/api/stats")))["totals"]["requests"].get<int>();
    REQUIRE(before > 0);
    r = http_raw(run->port, request("POST", "/api/reset"));
    CHECK(status_of(r) == 200);
    const auto after = body_of(http_raw(run->port, request("GET", "/api/stats")))["totals"]["requests"].get<int>();
    CHECK(after < before);
    CHECK(status_of(http_raw(run->port, request("POST", "/api/stop"))) == 200);
    REQUIRE(run->process->wait(20s));
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    std::vector<std::string> kinds;
    for (const auto& e : result["events"]) kinds.push_back(e["type"]);
    CHECK(std::find(kinds.begin(), kinds.end(), "load_changed") != kinds.end());
    CHECK(std::find(kinds.begin(), kinds.end(), "statistics_reset") != kinds.end());
    CHECK(result["statistics_reset_at"].get<double>() > 0);
    // The stage the web API set is a stage of the result.
    CHECK(result["stages"].back()["name"] == "set from the web API");
    CHECK(result["stages"].back()["users"] == 6);
}

namespace {

// `stampede run` in the web UI's mode (no --headless) on a free port, once it says `ready_text`.
std::unique_ptr<web_run> start_ui_run(const demo_target& target, std::vector<std::string> extra, const std::string& ready_text) {
    auto r = std::make_unique<web_run>();
    write_file(r->dir.file("s.yaml"), "host: " + target.url() + R"(
load: {users: 2, spawn_rate: 100, run_time: 30s}
thresholds:
  - p95 < 5s
  - {class: Reader, expect: p95 < 5s}
  - {tag: reads, expect: error_rate < 1%}
user_classes:
  - name: Reader
    tasks: [{name: read, path: /ok, tags: [reads]}]
  - name: Writer
    tasks: [{name: write, path: /health}]
  - name: Burst
    arrival_rate: {rate: 5, users: 1}
    tasks: [{name: burst, path: /ok}]
)");
    std::vector<std::string> args = {STAMPEDE_BIN, "run", "-f", r->dir.file("s.yaml"), "--workers", "2", "--web-port", "0",
                                     "--json", r->dir.file("r.json"), "--web-token", control_token};
    args.insert(args.end(), extra.begin(), extra.end());
    r->process = std::make_unique<child_process>(args);
    REQUIRE(r->process->wait_for_output("Web UI on http://127.0.0.1:", 10s));
    const auto out = r->process->out();
    r->port = std::stoi(out.substr(out.find("Web UI on http://127.0.0.1:") + 27));
    REQUIRE(r->process->wait_for_output(ready_text, 10s));
    return r;
}

}  // namespace

TEST_CASE("without --headless the run waits for a start from the web API, then runs what it was given", "[web]") {
    demo_target target;
    auto run = start_ui_run(target, {"--autoquit", "1s"}, "Ready: start the run from");
    const std::string json_type = "Content-Type: application/json\r\n";
    auto s = body_of(http_raw(run->port, request("GET", "/api/stats")));
    CHECK(s["state"] == "ready");
    CHECK(s["elapsed_s"] == 0);
    const auto offer = body_of(http_raw(run->port, request("GET", "/api/scenario")));
    CHECK(offer["users"] == 2);
    CHECK(offer["run_time_s"] == 30);
    REQUIRE(offer["user_classes"].size() == 3);
    CHECK(offer["user_classes"][2]["open"] == true);
    // Before the start, the run's controls say there is no run.
    CHECK(status_of(http_raw(run->port, request("POST", "/api/stop"))) == 409);
    CHECK(status_of(http_raw(run->port, request("POST", "/api/reset"))) == 409);
    // A start that names what the scenario has not, or an open class, is refused.
    auto r = http_raw(run->port, request("POST", "/api/swarm", json_type, R"({"users": 4, "spawn_rate": 100, "user_classes": ["Nobody"]})"));
    CHECK(status_of(r) == 400);
    CHECK(body_of(r)["error"] == "no user class 'Nobody' in the run");
    r = http_raw(run->port, request("POST", "/api/swarm", json_type, R"({"users": 4, "spawn_rate": 100, "user_classes": ["Burst"]})"));
    CHECK(body_of(r)["error"] == "'Burst' is an open-model class: it runs at its arrival rate");
    r = http_raw(run->port, request("POST", "/api/swarm", json_type, R"({"users": 4, "spawn_rate": 100, "run_time": "soon"})"));
    CHECK(body_of(r)["error"] == "'run_time' is a duration such as 90s, 10m or 1h30m: got 'soon'");
    // The start: 4 users of Writer only, for 2 s.
    r = http_raw(run->port, request("POST", "/api/swarm", json_type,
                                    R"({"users": 4, "spawn_rate": 100, "run_time": "2s", "user_classes": ["Writer"]})"));
    REQUIRE(status_of(r) == 200);
    CHECK(body_of(r)["state"] == "starting");
    const auto code = run->process->wait(20s);  // 2 s of run, then the 1 s autoquit
    REQUIRE(code);
    CHECK(*code == 0);
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    CHECK(result["duration_s"].get<double>() == Approx(2).margin(0.6));
    CHECK(result["load"]["users"] == 4);
    CHECK(result["stages"][0]["name"] == "started from the web UI");
    std::map<std::string, int> requests;
    for (const auto& e : result["endpoints"]) requests[e["name"]] = e["requests"];
    CHECK(requests.count("read") == 0);  // Reader was not picked
    CHECK(requests["write"] > 0);
    CHECK(requests["burst"] > 0);        // the open class runs at its rate whatever was picked
    // What only the classes left out would have measured is left out of the verdict, named, as
    // --tags leaves it out: not "no data".
    CHECK(result["thresholds_left_out"] ==
          json::array({"p95 < 5s (class Reader)", "error_rate < 1% (tag reads)"}));
    REQUIRE(result["thresholds"].size() == 1);
    CHECK(result["thresholds"][0]["passed"] == true);
    CHECK(run->process->out().find("Serving the web UI and /metrics for 1s more") != std::string::npos);
}

TEST_CASE("with --autostart a run starts at once beside the web UI, and Ctrl-C before a start ends the master with 130", "[web]") {
    demo_target target;
    {
        auto run = start_ui_run(target, {"--autostart", "-t", "1s", "--autoquit", "0s"}, "Starting");
        CHECK(body_of(http_raw(run->port, request("GET", "/api/stats")))["state"] == "running");
        const auto code = run->process->wait(20s);
        REQUIRE(code);
        CHECK(*code == 0);
    }
    {
        auto run = start_ui_run(target, {}, "Ready: start the run from");
        run->process->send(SIGINT);
        const auto code = run->process->wait(10s);
        REQUIRE(code);
        CHECK(*code == 130);
        CHECK(run->process->err().find("interrupted before the run started") != std::string::npos);
    }
    const auto r = run_stampede({"run", "--headless", "-f", "/nonexistent.yaml", "--autostart"});
    CHECK(r.code == 2);
    CHECK(r.err.find("--autostart: only with the web UI") != std::string::npos);
}

TEST_CASE("Ctrl-C during a run with the web UI writes the results and ends the master", "[web]") {
    demo_target target;
    auto run = start_ui_run(target, {"--autostart"}, "Starting");
    await_load(*run, 2);
    run->process->send(SIGINT);
    const auto code = run->process->wait(20s);  // no linger after a signal, autoquit or not
    REQUIRE(code);
    CHECK(*code == 0);
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    CHECK(result["interrupted"] == true);
    CHECK(run->process->out().find("stays up") == std::string::npos);
}

TEST_CASE("a start from the web API that picks a profile and tags re-plans the run on every worker", "[web]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
load: {users: 2, spawn_rate: 100, run_time: 30s}
profiles:
  short:
    stages: [{duration: 1s, users: 2, spawn_rate: 100}, {duration: 1s, users: 4, spawn_rate: 100}]
    thresholds: [p95 < 4s]
  flat: {users: 3, spawn_rate: 50, run_time: 5s}
user_classes:
  - name: Core
    wait_time: {constant: 20ms}
    tasks:
      - {name: ok, path: /ok, tags: [core]}
      - {name: health, path: /health, tags: [extra]}
  - name: Extra
    tasks: [{name: extra-health, path: /health, tags: [extra]}]
)");
    // The web UI's mode with two workers over gRPC: no --headless.
    child_process master({STAMPEDE_BIN, "master", "-f", dir.file("s.yaml"), "--bind", "127.0.0.1:0", "--expect-workers", "2",
                          "--web-port", "0", "--autoquit", "0s", "--json", dir.file("r.json"), "--web-token", control_token});
    REQUIRE(master.wait_for_output("worker(s) on 127.0.0.1:", 10s));
    const auto out = master.out();
    const int web_port = std::stoi(out.substr(out.find("Web UI on http://127.0.0.1:") + 27));
    const int port = std::stoi(out.substr(out.find("worker(s) on 127.0.0.1:") + 23));
    auto w1 = start_worker(port, "w1");
    auto w2 = start_worker(port, "w2");
    REQUIRE(master.wait_for_output("Ready: start the run from", 15s));
    const std::string json_type = "Content-Type: application/json\r\n";
    const auto offer = body_of(http_raw(web_port, request("GET", "/api/scenario")));
    REQUIRE(offer["profiles"].size() == 2);
    CHECK(offer["profiles"][0]["name"] == "flat");
    CHECK(offer["profiles"][0]["users"] == 3);
    CHECK(offer["profiles"][0]["run_time_s"] == 5);
    CHECK(offer["profiles"][1]["name"] == "short");
    CHECK(offer["profiles"][1]["stages"] == 2);
    CHECK(offer["profiles"][1]["users"] == 4);
    CHECK(offer["all_tags"] == json::array({"core", "extra"}));
    // What cannot run is refused before anything changes.
    auto r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"profile": "shrot"})"));
    CHECK(status_of(r) == 400);
    CHECK(body_of(r)["error"] == "no profile 'shrot' in the scenario (profiles: flat, short)");
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"profile": "short", "tags": ["nothing"]})"));
    CHECK(body_of(r)["error"] == "the tags picked: no task is left to run");
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"profile": "short", "user_classes": ["Core"]})"));
    CHECK(body_of(r)["error"] == "user classes are picked for a plain load (users at a spawn rate): this one has stages");
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"tags": ["core"]})"));
    CHECK(body_of(r)["error"] == "'users' is missing");
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"profile": {"name": "short"}})"));
    CHECK(body_of(r)["error"] == "'profile' is a number, a text or a list of names");
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"profile": ")" + std::string(300, 'p') + R"("})"));
    CHECK(body_of(r)["error"] == "'profile' is at most 200 bytes");
    // The start: the staged profile, only the tasks tagged core (the Extra class has none left).
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"profile": "short", "tags": ["core"]})"));
    REQUIRE(status_of(r) == 200);
    CHECK(body_of(r)["profile"] == "short");
    REQUIRE(master.wait_for_output("Starting 2 stages, up to 4 user(s), on 2 worker(s)", 15s));
    // Once it goes, a profile cannot be picked any more.
    r = http_raw(web_port, request("POST", "/api/swarm", json_type, R"({"users": 2, "spawn_rate": 5, "profile": "flat"})"));
    CHECK(status_of(r) == 409);
    const auto code = master.wait(30s);
    REQUIRE(code);
    CHECK(*code == 0);
    for (auto* w : {w1.get(), w2.get()}) {
        REQUIRE(w->wait(10s));
        CHECK(w->err().find("re-planned before its start") != std::string::npos);
    }
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["profile"] == "short");
    CHECK(result["duration_s"].get<double>() == Approx(2).margin(0.8));
    REQUIRE(result["stages"].size() == 2);
    CHECK(result["stages"][1]["users"] == 4);
    CHECK(result["user_classes"] == json::array({"Core"}));
    REQUIRE(result["thresholds"].size() == 1);  // the profile's
    CHECK(result["thresholds"][0]["threshold"] == "p95 < 4s");
    std::map<std::string, std::uint64_t> counted;
    for (const auto& e : result["endpoints"]) counted[e["name"]] = e["requests"];
    const auto served = target.stats()["routes"];
    CHECK(counted["ok"] > 0);
    CHECK(counted["ok"] == served["ok"].get<std::uint64_t>());
    CHECK(counted["health"] == 0);
    CHECK(served["health"] == 0);
}

TEST_CASE("the master's /metrics re-exports the service's watched series under stampede_watch_", "[web]") {
    demo_target target;
    auto run = start_web_run(target,
                             "load: {users: 2, spawn_rate: 100, run_time: 3s}\n"
                             "watch:\n  interval: 500ms\n  prometheus:\n    - series:\n"
                             "        in-flight: demo_requests_in_flight\n"
                             "        ok-total: {select: 'demo_requests_total{route=\"ok\"}', read: value}\n",
                             {"--metrics-linger", "20s"});
    REQUIRE(run->process->wait_for_output("Serving the web UI and /metrics for", 15s));
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    const auto metrics = http_raw(run->port, request("GET", "/metrics"));
    const auto exposition = metrics.substr(metrics.find("\r\n\r\n") + 4);
    const auto& total = result["watch"]["series"][1];
    REQUIRE(total["name"] == "ok-total");
    CHECK(sample(exposition, "stampede_watch_ok{") == total["values"].back().get<double>());
    CHECK(exposition.find("stampede_watch_in_flight{run_id=\"") != std::string::npos);
    CHECK(exposition.find("# HELP stampede_watch_ok The service's ok-total, read by the master from http://") !=
          std::string::npos);
    write_file(run->dir.file("metrics.txt"), exposition);
    CHECK(std::system(("promtool check metrics < " + run->dir.file("metrics.txt")).c_str()) == 0);
    run->process->send(SIGINT);
    CHECK(run->process->wait(10s) == 0);
}
