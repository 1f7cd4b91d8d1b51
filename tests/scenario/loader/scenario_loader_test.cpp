#include "scenario/loader/scenario_loader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

using namespace stampede::common;
using namespace stampede::lang;
using namespace std::chrono_literals;

namespace {

scenario load_ok(const std::string& text) {
    auto r = load_scenario_text(text, "test.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    return *r.value;
}

std::string problems_of(const std::string& text) { return load_scenario_text(text, "s.yaml").format(); }

const char* full = R"(host: http://127.0.0.1:8080/base/
headers: {X-API-Key: secret}
timeout: 20s
load: {users: 30, spawn_rate: 5, run_time: 2m}
profiles:
  quick: {users: 5, run_time: 10s}
  stress: {users: 500, spawn_rate: 50}
user_classes:
  - name: Writer
    weight: 3
    wait_time: {between: [1s, 3s]}
    headers: {X-Class: writer}
    tasks:
      - name: update
        weight: 8
        tags: [state, write]
        method: post
        path: /agent/1/state
        headers: {X-Req: r}
        json: {status: busy, load: 0.5, ok: true, none: null, n: 3, text: "007", list: [1, two]}
        expect_status: [200, 201]
        timeout: 2s
      - path: /agent/1/state
  - name: Probe
    fixed_count: 2
    wait_time: {constant: 500ms}
    tasks:
      - method: PUT
        path: /raw
        body: "plain text"
        expect_status: 204
)";

}  // namespace

TEST_CASE("a scenario with every basic construct loads", "[scenario]") {
    const auto sc = load_ok(full);
    REQUIRE(sc.default_host().url);
    CHECK(sc.default_host().url->host == "127.0.0.1");
    CHECK(sc.default_host().url->port == "8080");
    CHECK(sc.default_host().url->base_path == "/base");
    REQUIRE(sc.headers.size() == 1);
    CHECK(sc.headers[0].first == "X-API-Key");
    CHECK(sc.headers[0].second.text() == "secret");
    CHECK(sc.default_timeout == micros(20s));
    CHECK(sc.load.users == 30);
    CHECK(sc.load.spawn_rate == 5.0);
    CHECK(sc.load.run_time == micros(2min));
    REQUIRE(sc.profiles.size() == 2);
    CHECK(sc.profiles.at("quick").users == 5);
    CHECK_FALSE(sc.profiles.at("quick").spawn_rate);

    REQUIRE(sc.user_classes.size() == 2);
    const auto& writer = sc.user_classes[0];
    CHECK(writer.name == "Writer");
    CHECK(writer.weight == 3);
    CHECK(writer.wait.type == wait_time::kind::between);
    CHECK(writer.wait.low == micros(1s));
    CHECK(writer.wait.high == micros(3s));
    REQUIRE(writer.tasks.size() == 2);
    const auto& update = writer.tasks[0];
    CHECK(update.name == "update");
    CHECK(update.weight == 8);
    CHECK(update.tags == std::set<std::string>{"state", "write"});
    CHECK(update.steps[0].request.method == "POST");
    CHECK(update.steps[0].request.content_type == "application/json");
    CHECK(update.steps[0].request.body.text() ==
          R"({"list":[1,"two"],"load":0.5,"n":3,"none":null,"ok":true,"status":"busy","text":"007"})");
    CHECK(update.steps[0].request.expect_status == std::vector<int>{200, 201});
    CHECK(update.steps[0].request.timeout == micros(2s));
    CHECK(writer.tasks[1].name == "/agent/1/state");  // unnamed: grouped by path template
    CHECK(writer.tasks[1].steps[0].request.method == "GET");

    const auto& probe = sc.user_classes[1];
    CHECK(probe.fixed_count == 2);
    CHECK(probe.wait.type == wait_time::kind::constant);
    CHECK(probe.tasks[0].steps[0].request.body.text() == "plain text");
    CHECK(probe.tasks[0].steps[0].request.expect_status == std::vector<int>{204});

    // (POST, update), (GET, /agent/1/state), (PUT, /raw)
    REQUIRE(sc.endpoints.size() == 3);
    CHECK(sc.endpoints[writer.tasks[1].steps[0].endpoint_id].name == "/agent/1/state");
}

TEST_CASE("tasks sharing method and name share one endpoint", "[scenario]") {
    const auto sc = load_ok(R"(host: http://h:1
user_classes:
  - tasks:
      - {path: /a/1, name: item}
      - {path: /a/2, name: item}
      - {path: /a/2, name: item, method: DELETE}
)");
    CHECK(sc.endpoints.size() == 2);
    CHECK(sc.user_classes[0].name == "User1");
    CHECK(sc.user_classes[0].tasks[0].steps[0].endpoint_id == sc.user_classes[0].tasks[1].steps[0].endpoint_id);
}

TEST_CASE("an unknown key names the nearest valid one, with line and column", "[scenario]") {
    CHECK(problems_of("host: http://h:1\nuser_classes:\n  - tasks:\n      - path: /x\n        wieght: 2\n") ==
          "s.yaml:5:9: unknown key 'wieght' in task (did you mean 'weight'?)\n");
    CHECK(problems_of("hots: http://h:1\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:1:1: unknown key 'hots' in scenario (did you mean 'host'?)\n");
    CHECK(problems_of("host: http://h:1\nzzzzzz: 1\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:1: unknown key 'zzzzzz' in scenario\n");
}

TEST_CASE("every problem in a file is reported at once, in file order", "[scenario]") {
    const auto text = R"(host: ftp://h
load: {users: -1, spawn_rate: fast, run_time: 10x}
user_classes:
  - weight: 2
    fixed_count: 1
    wait_time: {between: [3s, 1s]}
    tasks:
      - method: FETCH
        path: relative
        expect_status: 700
        json: {a: 1}
        body: both
)";
    CHECK(problems_of(text) ==
          "s.yaml:1:7: host 'ftp://h': unsupported scheme 'ftp'; use http://, https://, ws:// or wss://\n"
          "s.yaml:2:15: users must be between 0 and 10000000, got -1\n"
          "s.yaml:2:31: spawn_rate must be a number of at least 0.001\n"
          "s.yaml:2:47: run_time: unknown unit in duration '10x' (use h, m, s, ms, us)\n"
          "s.yaml:5:18: a user class has either 'weight' or 'fixed_count', not both\n"
          "s.yaml:6:26: wait_time.between: the first bound exceeds the second\n"
          "s.yaml:8:17: unknown method 'FETCH' (use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)\n"
          "s.yaml:9:15: path must start with '/'\n"
          "s.yaml:10:24: expect_status must be between 100 and 599, got 700\n"
          "s.yaml:12:15: a request has one of 'json', 'body', 'json_file', 'body_file' or 'jsonrpc', not several\n");
}

TEST_CASE("structural mistakes are explained", "[scenario]") {
    CHECK(problems_of("host: http://h:1\n") == "s.yaml:1:1: scenario has no 'user_classes'\n");
    CHECK(problems_of("host: http://h:1\nuser_classes: []\n") ==
          "s.yaml:2:15: user_classes must be a non-empty list\n");
    CHECK(problems_of("user_classes:\n  - name: A\n") == "s.yaml:2:5: user class 'A' has no 'tasks'\n");
    CHECK(problems_of("user_classes: [{tasks: [{method: GET}]}]\n") == "s.yaml:1:25: a task has no 'path'\n");
    CHECK(problems_of("- just\n- a list\n") == "s.yaml:1:1: a scenario must be a mapping of keys to values\n");
    CHECK(problems_of("user_classes: [{tasks: [{path: /, tags: solo}]}]\n") ==
          "s.yaml:1:41: tags must be a list, such as [read, state]\n");
    CHECK(problems_of("user_classes: [{wait_time: [5s], tasks: [{path: /}]}]\n") ==
          "s.yaml:1:28: wait_time must be one of: none, 1s, {constant: 1s}, {between: [1s, 3s]}, {pacing: 2s}\n");
}

TEST_CASE("YAML syntax errors carry their position", "[scenario]") {
    const auto problems = problems_of("host: http://h:1\nuser_classes: [\n  {tasks: [}\n");
    CHECK(problems.rfind("s.yaml:3:", 0) == 0);
}

TEST_CASE("a missing file is reported, not thrown", "[scenario]") {
    auto r = load_scenario_file("/nonexistent/scenario.yaml");
    CHECK_FALSE(r.ok());
    CHECK(r.format() == "/nonexistent/scenario.yaml:0:0: cannot read the scenario file: No such file or directory\n");
}

TEST_CASE("host URLs are checked", "[scenario]") {
    auto h = parse_host_url("http://example.test");
    REQUIRE(h);
    CHECK(h->port == "80");
    CHECK(parse_host_url("http://h:99999").error() == "host 'http://h:99999': invalid port '99999' (1 to 65535)");
    CHECK_FALSE(parse_host_url("127.0.0.1:8080"));
    CHECK(parse_host_url("https://h")->port == "443");
    CHECK(parse_host_url("wss://h")->tls());
    CHECK(parse_host_url("gopher://h").error() == "host 'gopher://h': unsupported scheme 'gopher'; use http://, https://, ws:// or wss://");
}

TEST_CASE("a scenario that is not UTF-8 is refused where its first bad byte is", "[loader]") {
    CHECK(problems_of("host: http://127.0.0.1:1\nuser_classes:\n  - tasks: [{path: /caf\xE9}]\n") ==
          "s.yaml:3:24: the file is not valid UTF-8 (byte 0xE9); save it as UTF-8\n");
    CHECK(problems_of(std::string("\xFF\xFEh\0o\0", 6)) ==
          "s.yaml:1:1: the file is UTF-16 (it starts with a byte-order mark); save it as UTF-8\n");
    // A UTF-8 byte-order mark and non-ASCII names are fine.
    load_ok("\xEF\xBB\xBFhost: http://127.0.0.1:1\nuser_classes:\n  - tasks: [{name: caf\xC3\xA9, path: /}]\n");
}

TEST_CASE("a regular expression RE2 cannot take is refused at load with its position", "[loader]") {
    const auto problems = problems_of(R"(host: http://127.0.0.1:1
user_classes:
  - tasks:
      - path: /
        checks: [{body_matches: '(a)\1'}]
)");
    CHECK(problems.rfind("s.yaml:5:", 0) == 0);
    CHECK(problems.find("bad regular expression '(a)\\1'") != std::string::npos);
}

TEST_CASE("YAML aliases that expand without bound are refused, as is nesting past the limit", "[loader]") {
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
        for (int j = 0; j < 9; ++j) bomb += (j ? ", *a" : "*a") + std::to_string(i - 1);
        bomb += "]\n";
    }
    const auto problems =
        problems_of("host: http://127.0.0.1:1\nx: " + bomb.substr(3) + "user_classes:\n  - tasks: [{path: /, json: *a9}]\n");
    CHECK(problems.find("json body has more than 100000 values") != std::string::npos);

    const std::string deep = std::string(3000, '[') + std::string(3000, ']');
    const auto nested = problems_of("host: http://127.0.0.1:1\nuser_classes:\n  - tasks: [{path: /, json: " + deep + "}]\n");
    CHECK(nested.find("nested deeper than") != std::string::npos);
    CHECK(nested.find("levels") != std::string::npos);
}

TEST_CASE("max_body takes a size per scenario and per step, within 1 KiB and 1 GiB", "[loader]") {
    const auto sc = load_ok(R"(host: http://127.0.0.1:1
max_body: 64MiB
user_classes:
  - tasks:
      - {path: /a}
      - {path: /b, max_body: 512KiB}
)");
    CHECK(sc.default_max_body == 64u << 20);
    CHECK_FALSE(sc.user_classes[0].tasks[0].steps[0].request.max_body);
    CHECK(sc.user_classes[0].tasks[1].steps[0].request.max_body == 512u << 10);
    CHECK(load_ok("host: http://h:1\nuser_classes: [{tasks: [{path: /}]}]\n").default_max_body == 16u << 20);
    CHECK(problems_of("host: http://h:1\nmax_body: 2GiB\nuser_classes: [{tasks: [{path: /, max_body: lots}]}]\n") ==
          "s.yaml:2:11: max_body must be from 1KiB to 1GiB, got 2GiB\n"
          "s.yaml:3:45: max_body: invalid size 'lots' (examples: 16MiB, 512KiB, 1GiB, 4096)\n");
}

TEST_CASE("a data file past the bundle limit is refused with the limit, a sparse giant is never read whole",
          "[text_file]") {
    const auto dir = "/tmp/stampede-loader-" + std::to_string(getpid());
    ::mkdir(dir.c_str(), 0700);
    const auto data = dir + "/big.csv";
    {
        std::ofstream out(data);
        out << "a\n1\n";
    }
    REQUIRE(::truncate(data.c_str(), 3ll << 30) == 0);  // 3 GiB of holes: costs no disk
    std::ofstream(dir + "/s.yaml") << "host: http://127.0.0.1:1\ndata: {d: big.csv}\nuser_classes:\n  - tasks: [{path: /}]\n";
    const auto loaded = load_scenario_file(dir + "/s.yaml");
    CHECK(loaded.format() == dir + "/s.yaml:2:11: cannot read data file 'big.csv': is larger than 60 MiB\n");
    std::remove(data.c_str());
    std::remove((dir + "/s.yaml").c_str());
    ::rmdir(dir.c_str());
}
