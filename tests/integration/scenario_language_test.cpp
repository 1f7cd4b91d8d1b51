// The scenario language end to end: every example against the real demo target, checks and
// their reasons, extraction chains, JSON-RPC errors, and data files sent from a master to a
// worker process.
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

json endpoint(const json& result, const std::string& name) {
    for (const auto& e : result["endpoints"])
        if (e["name"] == name) return e;
    FAIL("no endpoint " << name);
    return {};
}

std::uint64_t requests_of(const json& result, const std::string& name) {
    return endpoint(result, name)["requests"].get<std::uint64_t>();
}

json error_of_kind(const json& result, const std::string& kind) {
    for (const auto& e : result["errors"])
        if (e["kind"] == kind) return e;
    FAIL("no error of kind " << kind << " in " << result["errors"].dump());
    return {};
}

// A task's share of the requests is binomial: allow four standard deviations around the weight.
void check_share(const json& result, const std::string& name, double expected) {
    const auto total = result["totals"]["requests"].get<double>();
    const auto share = static_cast<double>(requests_of(result, name)) / total;
    const auto margin = 4 * std::sqrt(expected * (1 - expected) / total);
    INFO(name << ": " << share << " of " << total << " requests, expected " << expected << " +- " << margin);
    CHECK(std::abs(share - expected) <= margin);
}

void check_all_checks_pass(const json& result) {
    REQUIRE_FALSE(result["checks"].empty());
    for (const auto& c : result["checks"]) {
        INFO(c.dump());
        CHECK(c["failed"] == 0);
        CHECK(c["passed"].get<std::uint64_t>() > 0);
    }
}

struct finished_run {
    run_output run;
    json result;  // null when the run wrote no result
};

// Runs `scenario` headless against `host` with `users` users for `run_time`.
finished_run run_file(const std::string& scenario, const std::string& host, const temp_dir& dir,
                      const std::string& users, const std::string& run_time) {
    auto run = run_stampede({"run", "-f", scenario, "-H", host, "--headless", "-u", users, "-r", "100", "-t", run_time,
                             "--json", dir.file("r.json")});
    const auto text = read_file(dir.file("r.json"));
    return {std::move(run), text.empty() ? json() : json::parse(text)};
}

// Writes a scenario made of `host: HOST` and `rest`, and runs it.
finished_run run_scenario(const temp_dir& dir, const std::string& host, const std::string& rest,
                          const std::string& users, const std::string& run_time) {
    write_file(dir.file("s.yaml"), "host: " + host + rest);
    return run_file(dir.file("s.yaml"), host, dir, users, run_time);
}

json run_example(const std::string& example, demo_target& target, const temp_dir& dir, const std::string& users = "6") {
    auto [run, result] = run_file(std::string(EXAMPLES_DIR) + "/" + example, target.url(), dir, users, "3s");
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    return result;
}

}  // namespace

TEST_CASE("agent-state example: the 80/15/5 mix, the API key from the environment, every check passing", "[language]") {
    ::setenv("AGENT_API_KEY", "key-from-env", 1);
    demo_target target({"--api-key", "key-from-env"});
    temp_dir dir;
    const auto result = run_example("agent_state.yaml", target, dir, "10");
    ::unsetenv("AGENT_API_KEY");
    const auto stats = target.stats();
    CHECK(stats["unauthorized"] == 0);
    const auto total = result["totals"]["requests"].get<double>();
    CHECK(total == stats["served"].get<double>());
    CHECK(result["totals"]["failures"] == 0);
    check_share(result, "update state", 0.80);
    check_share(result, "read state", 0.15);
    check_share(result, "start workflow", 0.05);
    check_all_checks_pass(result);
    // Each user is one agent: a random id, the same for all its requests.
    CHECK(stats["agents"].get<int>() >= 1);
    CHECK(stats["agents"].get<int>() <= 10);
}

TEST_CASE("modular.solve example: queries from the data file in a 60/30/10 mix, answers checked", "[language]") {
    demo_target target;
    temp_dir dir;
    const auto result = run_example("modular_solve.yaml", target, dir);
    const auto stats = target.stats();
    const auto total = result["totals"]["requests"].get<std::uint64_t>();
    REQUIRE(total == stats["served"].get<std::uint64_t>());
    CHECK(result["totals"]["failures"] == 0);
    check_all_checks_pass(result);
    // Rows go out in order from one shared cursor: every full pass over the 10 rows is 6/3/1.
    const auto& mix = stats["solves_by_complexity"];
    const auto rounds = static_cast<double>(total / 10);
    CHECK(mix["simple"].get<double>() >= 6 * rounds);
    CHECK(mix["simple"].get<double>() <= 6 * rounds + 6);
    CHECK(mix["moderate"].get<double>() >= 3 * rounds);
    CHECK(mix["moderate"].get<double>() <= 3 * rounds + 3);
    CHECK(mix["complex"].get<double>() >= rounds);
    CHECK(mix["complex"].get<double>() <= rounds + 1);
}

TEST_CASE("training example: job ids chained from start to status, export and cancel", "[language]") {
    demo_target target;
    temp_dir dir;
    const auto result = run_example("training_api.yaml", target, dir);
    const auto stats = target.stats();
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == stats["served"].get<std::uint64_t>());
    CHECK(result["totals"]["failures"] == 0);
    check_all_checks_pass(result);
    // Every job the users asked about is one the target issued to them.
    CHECK(stats["job_lookups"].get<std::uint64_t>() > 50);
    CHECK(stats["unknown_job_lookups"] == 0);
    CHECK(stats["jobs_started"].get<std::uint64_t>() == requests_of(result, "start job"));
    // Each of the 6 users' on_start also starts a job (under the same endpoint), so the tasks
    // share the requests less those 6.
    const auto total = result["totals"]["requests"].get<double>();
    const auto tasks = (total - 6) / total;
    check_share(result, "job status", 0.40 * tasks);
    check_share(result, "export job", 0.20 * tasks);
    check_share(result, "cancel job", 0.10 * tasks);
}

TEST_CASE("a failing check fails the request with its reason, a soft one only counts", "[language]") {
    demo_target target;
    temp_dir dir;
    const auto [run, result] = run_scenario(dir, target.url(), R"(
user_classes:
  - wait_time: 20ms
    tasks:
      - name: solve
        path: /api/v1/jsonrpc
        jsonrpc: {method: modular.solve, params: {query: "x = {{ random_int(1, 9) }}"}}
        checks:
          - {json: result.answer, equals: "the wrong answer"}
          - {json: result.execution_trace.steps, gt: 100, soft: true}
)", "2", "2s");
    INFO(run.out << run.err);
    CHECK(run.code == 1);
    const auto requests = result["totals"]["requests"].get<std::uint64_t>();
    CHECK(requests > 10);
    CHECK(result["totals"]["failures"].get<std::uint64_t>() == requests);
    const auto error = error_of_kind(result, "check");
    CHECK(error["occurrences"].get<std::uint64_t>() == requests);
    CHECK_THAT(error["message"].get<std::string>(),
               Catch::StartsWith("check failed: json result.answer == 'the wrong answer': got \"solved: x = "));
    REQUIRE(result["checks"].size() == 2);
    CHECK(result["checks"][0]["failed"].get<std::uint64_t>() == requests);
    CHECK(result["checks"][1]["soft"] == true);
    CHECK(result["checks"][1]["pass_rate"] == 0.0);
    CHECK(run.out.find("Checks") != std::string::npos);
    CHECK(run.out.find("json result.answer == 'the wrong answer'") != std::string::npos);
}

TEST_CASE("a failed extraction fails its step and skips the steps that need the value", "[language]") {
    demo_target target;
    temp_dir dir;
    const auto [run, result] = run_scenario(dir, target.url(), R"(
user_classes:
  - wait_time: 20ms
    tasks:
      - steps:
          - name: start
            method: POST
            path: /api/v1/training/jobs
            extract: {job_id: {json: no_such_field}}
          - name: status
            path: "/api/v1/training/jobs/{{ job_id }}"
)", "2", "2s");
    INFO(run.out << run.err);
    CHECK(run.code == 1);
    const auto starts = requests_of(result, "start");
    CHECK(starts > 10);
    const auto error = error_of_kind(result, "extract");
    CHECK(error["message"] == "extract job_id: no value at JSON path 'no_such_field'");
    REQUIRE(result["skipped_steps"].size() == 1);
    CHECK(result["skipped_steps"][0]["name"] == "status");
    CHECK(result["skipped_steps"][0]["count"].get<std::uint64_t>() >= starts - 2);
    CHECK(target.stats()["job_lookups"] == 0);  // never sent
    CHECK(run.out.find("step(s) GET status skipped") != std::string::npos);
}

TEST_CASE("a JSON-RPC error member fails the request with the error's message", "[language]") {
    demo_target target;
    temp_dir dir;
    const auto [run, result] = run_scenario(dir, target.url(), R"(
user_classes:
  - wait_time: 50ms
    tasks:
      - {path: /api/v1/jsonrpc, jsonrpc: {method: modular.unknown}}
)", "1", "1s");
    INFO(run.out << run.err);
    CHECK(run.code == 1);
    CHECK(endpoint(result, "modular.unknown")["failures"] == endpoint(result, "modular.unknown")["requests"]);
    CHECK(error_of_kind(result, "jsonrpc")["message"] == "JSON-RPC error -32601: method not found");
}

TEST_CASE("on_start logs in once per user and on_stop runs when the user stops", "[language]") {
    demo_target target;
    temp_dir dir;
    const auto [run, result] = run_scenario(dir, target.url(), R"(
user_classes:
  - wait_time: {pacing: 100ms}
    headers: {X-Session: "{{ session }}"}   # left out until the login has set it
    on_start:
      - {name: login, method: POST, path: /api/v1/training/jobs, extract: {session: job_id}, think: 10ms}
    on_stop:
      - {name: logout, method: POST, path: "/api/v1/training/jobs/{{ session }}/cancel"}
    tasks:
      - {name: work, path: "/api/v1/training/jobs/{{ session }}", checks: [{json: job_id, equals: "{{ session }}"}]}
)", "3", "2s");
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(requests_of(result, "login") == 3);
    CHECK(requests_of(result, "logout") == 3);
    // Pacing: one iteration per 100 ms per user, whatever the response time.
    CHECK(requests_of(result, "work") >= 3 * 15);
    CHECK(requests_of(result, "work") <= 3 * 21);
    check_all_checks_pass(result);
    CHECK(target.stats()["unknown_job_lookups"] == 0);
}

TEST_CASE("a worker process gets the scenario's data files and environment from its master", "[language][cluster]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("ids.csv"), "agent,label\nfrom-file-1,a\nfrom-file-2,b\n");
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
data:
  ids: {file: ids.csv, order: random, scope: per_user}
user_classes:
  - wait_time: 20ms
    tasks:
      - name: state
        method: POST
        path: "/v1/opscore/agent/{{ data.ids.agent }}/state"
        json: {secret: "{{ env('STAMPEDE_TEST_SECRET') }}"}
)");
    ::setenv("STAMPEDE_TEST_SECRET", "only-the-master-has-it", 1);
    int port = 0;
    auto master = start_master({"-f", dir.file("s.yaml"), "--expect-workers", "1", "-u", "2", "-r", "100", "-t", "2s",
                                "--json", dir.file("r.json")},
                               port);
    ::unsetenv("STAMPEDE_TEST_SECRET");
    // The worker runs elsewhere: no access to the scenario's directory, no such variable.
    auto worker = start_worker(port, "w1");
    const auto code = master->wait(30s);
    INFO(master->out() << master->err() << worker->err());
    REQUIRE(code == 0);
    CHECK(worker->wait(10s) == 0);
    CHECK(target.stats()["agents"] == 2);
    CHECK(http_get(target.port(), "/v1/opscore/agent/from-file-1/state").find("only-the-master-has-it") != std::string::npos);
}

TEST_CASE("a body from a file beside the scenario reaches the target through a worker that lacks the file", "[language][cluster]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("sample_workflow.json"),
               R"({"workflow": "ingest", "owner": "{{ user_index() }}", "steps": ["fetch", "parse"], "retries": 3})");
    write_file(dir.file("state.txt"), R"({"from_text_file": true, "user": {{ user_index() }}})");
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
user_classes:
  - wait_time: 20ms
    tasks:
      - steps:
          - {name: workflow, method: POST, path: "/v1/opscore/agent/wf-{{ user_index() }}/state", json_file: sample_workflow.json}
          - name: text
            method: POST
            path: "/v1/opscore/agent/txt-{{ user_index() }}/state"
            headers: {Content-Type: application/json}
            body_file: state.txt
)");
    int port = 0;
    auto master = start_master({"-f", dir.file("s.yaml"), "--expect-workers", "1", "-u", "2", "-r", "100", "-t", "2s",
                                "--json", dir.file("r.json")},
                               port);
    auto worker = start_worker(port, "w1");
    const auto code = master->wait(30s);
    INFO(master->out() << master->err() << worker->err());
    REQUIRE(code == 0);
    CHECK(worker->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(requests_of(result, "workflow") > 0);
    CHECK(result["totals"]["failures"] == 0);
    const auto stored = http_get(target.port(), "/v1/opscore/agent/wf-1/state");
    INFO(stored);
    CHECK(stored.find(R"("workflow":"ingest")") != std::string::npos);
    CHECK(stored.find(R"("owner":1)") != std::string::npos);
    CHECK(http_get(target.port(), "/v1/opscore/agent/txt-0/state").find(R"("from_text_file":true)") != std::string::npos);
}

TEST_CASE("validate reports every problem of the language at once, with line and column", "[language]") {
    temp_dir dir;
    write_file(dir.file("bad.yaml"), R"(host: http://127.0.0.1:1
data:
  rows: {file: missing.csv}
user_classes:
  - vars: {id: "{{ random_int(9, 1) }}"}
    tasks:
      - path: "/a/{{ rnd_int(1, 2) }}"
      - path: "/b/{{ job }}"
        checks:
          - {json: "result..x"}
          - {json: a, equals: 1, gt: 2}
          - {body_matches: "(unclosed"}
          - {jsn: a}
)");
    auto run = run_stampede({"validate", "-f", dir.file("bad.yaml")});
    CHECK(run.code == 2);
    // One line per problem, in file order; the regular-expression library words its own reason.
    const std::vector<std::string> expected = {
        ":3:16: cannot read data file 'missing.csv'",
        ":5:20: random_int: the low bound exceeds the high bound",
        ":7:22: unknown template function 'rnd_int' (did you mean 'random_int'?)",
        ":8:22: undefined variable 'job' (set it in the user class's vars, or extract it in an earlier step)",
        ":10:20: bad JSON path 'result..x': an empty name",
        ":11:38: a check tests one thing: 'equals' and 'gt' are both given",
        ":12:28: bad regular expression '(unclosed': ",
        ":13:13: a check needs one of: status, json, body_contains, body_matches, header, latency_below",
        ":13:14: unknown key 'jsn' in check (did you mean 'json'?)",
        "9 problem(s) found in ",
    };
    std::istringstream lines(run.err);
    std::string line;
    for (const auto& want : expected) {
        REQUIRE(std::getline(lines, line));
        const auto text = want.front() == ':' ? dir.file("bad.yaml") + want : want;
        CHECK_THAT(line, Catch::StartsWith(text));
    }
    CHECK_FALSE(std::getline(lines, line));
}
