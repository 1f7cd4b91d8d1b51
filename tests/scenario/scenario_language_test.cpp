// The scenario language as the loader builds it: steps, bodies, checks, extraction, data
// files, variables, and the load-time errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "scenario/loader/scenario_loader.hpp"

using namespace stampede::common;
using namespace stampede::lang;
using namespace std::chrono_literals;

namespace {

load_options sources() {
    load_options o;
    o.read_file = [](const std::string& name) -> stampede::common::result<std::string> {
        if (name == "q.csv") return std::string("query,complexity\nq1,simple\nq2,complex\n");
        return stampede::common::fail("No such file or directory");
    };
    o.environment = [](const std::string& name) -> std::optional<std::string> {
        if (name == "KEY") return "k-1";
        return std::nullopt;
    };
    return o;
}

scenario load_ok(const std::string& text) {
    auto r = load_scenario_text(text, "s.yaml", sources());
    INFO(r.format());
    REQUIRE(r.ok());
    return std::move(*r.value);
}

std::string problems_of(const std::string& text) { return load_scenario_text(text, "s.yaml", sources()).format(); }

class fixed_context final : public template_context {
public:
    std::uint64_t random_below(std::uint64_t bound) override { return bound - 1; }
    std::string_view variable(std::uint32_t) override { return "v\"1"; }
    bool has_variable(std::uint32_t) override { return true; }
    std::string_view data_value(std::uint32_t, std::uint32_t column) override { return column ? "simple" : "q1"; }
    std::uint64_t next_counter() override { return 7; }
    std::uint64_t next_global_counter() override { return 8; }
    std::uint64_t user_index() override { return 0; }
};

std::string render(const text_template& t) {
    fixed_context c;
    std::string out;
    render_template(t, c, out);
    return out;
}

}  // namespace

TEST_CASE("a JSON body keeps numbers bare and escapes templated text", "[language]") {
    const auto sc = load_ok(R"(host: http://h:1
user_classes:
  - vars: {note: x}
    tasks:
      - method: POST
        path: /a
        json: {n: "{{ random_int(1, 5) }}", label: "id-{{ random_int(1, 5) }}", note: "{{ note }}", fixed: 2, list: ["{{ counter() }}"]}
)");
    const auto& body = sc.user_classes[0].tasks[0].steps[0].request.body;
    CHECK_FALSE(body.constant());
    const auto rendered = nlohmann::json::parse(render(body));
    CHECK(rendered["n"] == 5);
    CHECK(rendered["label"] == "id-5");
    CHECK(rendered["note"] == "v\"1");
    CHECK(rendered["fixed"] == 2);
    CHECK(rendered["list"][0] == 7);
}

TEST_CASE("text in a JSON body that looks like the loader's own markers stays text", "[language]") {
    // The loader marks templated values with U+0001 while it builds a body; a value written
    // with that byte, even one spelling a marker exactly, is the user's text.
    const auto sc = load_ok(R"(host: http://h:1
user_classes:
  - tasks:
      - method: POST
        path: /a
        json: {t: "{{ counter() }}", lookalike: "\x010\x01", open: "\x01x", cut: "\x0199"}
)");
    const auto rendered = nlohmann::json::parse(render(sc.user_classes[0].tasks[0].steps[0].request.body));
    CHECK(rendered["t"] == 7);
    CHECK(rendered["lookalike"] == "\x01" "0\x01");
    CHECK(rendered["open"] == "\x01x");
    CHECK(rendered["cut"] == "\x01" "99");
    CHECK(problems_of(R"(host: http://h:1
user_classes:
  - tasks: [{method: POST, path: /a, json: {"\x01k": 1}}]
)") == "s.yaml:3:45: a json body's keys may not hold the control character U+0001\n");
}

TEST_CASE("a JSON-RPC step builds the envelope, posts it and is named after its method", "[language]") {
    const auto sc = load_ok(R"(host: http://h:1
data:
  queries: {file: q.csv, order: random, scope: per_user}
user_classes:
  - tasks:
      - path: /rpc
        jsonrpc: {method: modular.solve, params: {query: "{{ data.queries.query }}"}}
)");
    const auto& step = sc.user_classes[0].tasks[0].steps[0];
    CHECK(step.name == "modular.solve");
    CHECK(step.request.method == "POST");
    CHECK(step.request.jsonrpc);
    CHECK(step.request.content_type == "application/json");
    CHECK(step.request.data_sets == std::vector<std::uint32_t>{0});
    CHECK(nlohmann::json::parse(render(step.request.body)) ==
          nlohmann::json::parse(R"({"jsonrpc":"2.0","id":7,"method":"modular.solve","params":{"query":"q1"}})"));
    REQUIRE(sc.data.size() == 1);
    CHECK(sc.data[0].pick == data_set::order::random);
    CHECK(sc.data[0].sharing == data_set::scope::per_user);
    CHECK(sc.data[0].rows.size() == 2);
    CHECK(sc.files.at("q.csv") == "query,complexity\nq1,simple\nq2,complex\n");
}

TEST_CASE("sequences, on_start, on_stop, think time, pacing and checks load", "[language]") {
    const auto sc = load_ok(R"(host: http://h:1
headers: {X-Key: "{{ env('KEY') }}"}
user_classes:
  - wait_time: {pacing: 2s}
    on_start:
      - {name: login, method: POST, path: /login, extract: {token: {json: token}}}
    on_stop:
      - {name: logout, method: POST, path: /logout, headers: {Authorization: "Bearer {{ token }}"}}
    tasks:
      - name: flow
        weight: 3
        steps:
          - name: start
            method: POST
            path: /jobs
            think: 500ms
            extract:
              job_id: job_id
              location: {header: Location}
              number: {regex: 'n=([0-9]+)'}
          - name: poll
            path: "/jobs/{{ job_id }}"
            think: {between: [1s, 2s]}
            checks:
              - status: [200, 202]
              - {json: status, equals: done, soft: true, name: finished}
              - {header: Content-Type, contains: json}
              - {body_contains: "{{ job_id }}"}
              - {latency_below: 1s}
)");
    CHECK(sc.environment.at("KEY") == "k-1");
    CHECK(sc.headers[0].second.text() == "k-1");
    const auto& cls = sc.user_classes[0];
    CHECK(cls.wait.type == wait_time::kind::pacing);
    CHECK(cls.wait.low == micros(2s));
    REQUIRE(cls.on_start.size() == 1);
    REQUIRE(cls.on_stop.size() == 1);
    CHECK(cls.on_stop[0].request.variables.size() == 1);  // token
    const auto& flow = cls.tasks[0];
    CHECK(flow.name == "flow");
    CHECK(flow.weight == 3);
    REQUIRE(flow.steps.size() == 2);
    const auto& start = flow.steps[0];
    CHECK(start.think->type == wait_time::kind::constant);
    REQUIRE(start.extracts.size() == 3);
    CHECK(start.extracts[0].from == extract_spec::source::json);
    CHECK(start.extracts[1].from == extract_spec::source::header);
    CHECK(start.extracts[2].from == extract_spec::source::regex);
    CHECK(start.extracts[2].group == 1);
    const auto& poll = flow.steps[1];
    CHECK(poll.think->type == wait_time::kind::between);
    CHECK(poll.name == "poll");
    REQUIRE(poll.checks.size() == 5);
    REQUIRE(sc.checks.size() == 5);
    CHECK(sc.checks[0].description == "status 200 or 202");
    CHECK(sc.checks[1].description == "finished");
    CHECK(sc.checks[1].soft);
    CHECK(sc.checks[2].description == "header Content-Type contains 'json'");
    CHECK(sc.checks[3].description == "body contains '{{ job_id }}'");
    CHECK(sc.checks[4].description == "latency < 1s");
    for (const auto& c : sc.checks) CHECK(sc.endpoints[c.endpoint_id].name == "poll");
    // login, start, poll, logout
    CHECK(sc.endpoints.size() == 4);
    CHECK(sc.variables.size() == 4);  // token, job_id, location, number
}

TEST_CASE("variables belong to their user class", "[language]") {
    CHECK(problems_of(R"(host: http://h:1
user_classes:
  - tasks:
      - {path: /a, extract: {job_id: id}}
  - tasks:
      - {path: "/b/{{ job_id }}"}
)") == "s.yaml:6:23: undefined variable 'job_id' (set it in the user class's vars, or extract it in an earlier step)\n");
}

TEST_CASE("the language's mistakes are reported together, each where it is", "[language]") {
    CHECK(problems_of(R"(host: http://h:1
data:
  q: {file: q.csv, order: shuffled}
  r: nope.csv
user_classes:
  - wait_time: {pacing: fast}
    tasks:
      - {path: /a, json: {}, jsonrpc: {method: m}}
      - path: /b
        steps: [{path: /c}]
      - {path: /d, extract: {x: {json: a, header: b}}}
      - {path: /e, extract: {y: {regex: 'a(b)', group: 3}}}
      - {path: /f, checks: [{json: a, lt: many}, {status: 99}, {header: X, gt: 1}], think: {pacing: 1s}}
      - {path: "/g/{{ data.q.nope }}"}
)") == "s.yaml:3:27: order must be sequential or random\n"
       "s.yaml:4:6: cannot read data file 'nope.csv': No such file or directory\n"
       "s.yaml:6:25: wait_time.pacing: invalid duration 'fast' (examples: 90s, 10m, 1h30m, 250ms)\n"
       "s.yaml:8:39: a request has one of 'json', 'body', 'json_file', 'body_file' or 'jsonrpc', not several\n"
       "s.yaml:9:9: unknown key 'path' in task with steps (its requests go inside 'steps')\n"
       "s.yaml:11:33: extract 'x' takes one of: json, header, regex\n"
       "s.yaml:12:56: the regular expression has only 1 group(s)\n"
       "s.yaml:13:43: lt must be a number\n"
       "s.yaml:13:59: status must be between 100 and 599, got 99\n"
       "s.yaml:13:80: 'gt' does not apply to a header check\n"
       "s.yaml:13:93: unknown key 'pacing' in think\n"
       "s.yaml:14:23: data set 'q' has no column 'nope' (its columns: query, complexity)\n");
}
