// A request body read from a file beside the scenario: body_file (a template) and json_file
// (JSON whose strings may hold templates), read once at load, kept to travel to workers.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "scenario/loader/scenario_loader.hpp"
#include "scenario/template.hpp"

using namespace stampede::lang;

namespace {

const std::map<std::string, std::string>& files() {
    static const std::map<std::string, std::string> f = {
        {"workflow.json", R"({"workflow": "ingest", "priority": "{{ random_int(3, 3) }}",
  "input": {"query": "{{ data.q.query }}", "note": "say \"{{ note }}\"", "steps": [1, 2.5, true, null]}})"},
        {"form.txt", "name={{ note }}&n={{ counter() }}\n"},
        {"q.csv", "query\nfirst\n"},
        {"broken.json", "{\"a\": 1,\n  \"b\": }\n"},
        {"bad_template.json", "{\"a\": [\"ok\", \"{{ nope }}\"]}"},
        {"bad_template.txt", "line one\nx {{ random_int(1) }}\n"},
        {"marker.json", "{\"t\": \"\\u00010\\u0001\", \"\\u0001k\": 1}"},
        {"plain.json", "[\"\\u00010\\u0001\", \"{{ counter() }}\"]"},
    };
    return f;
}

load_options sources(const std::map<std::string, std::string>& extra = {}) {
    load_options o;
    o.read_file = [extra](const std::string& name) -> stampede::common::result<std::string> {
        if (auto it = extra.find(name); it != extra.end()) return it->second;
        if (auto it = files().find(name); it != files().end()) return it->second;
        return stampede::common::fail("No such file or directory");
    };
    return o;
}

std::string scenario_with(const std::string& step) {
    return "host: http://h:1\ndata:\n  q: {file: q.csv}\nuser_classes:\n  - vars: {note: hi}\n    tasks:\n      - " + step +
           "\n";
}

class fixed_context final : public template_context {
public:
    std::uint64_t random_below(std::uint64_t bound) override { return bound - 1; }
    std::string_view variable(std::uint32_t) override { return "v\"1"; }
    bool has_variable(std::uint32_t) override { return true; }
    std::string_view data_value(std::uint32_t, std::uint32_t) override { return "row"; }
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

std::string problems_of(const std::string& step, const std::map<std::string, std::string>& extra = {}) {
    return load_scenario_text(scenario_with(step), "s.yaml", sources(extra)).format();
}

}  // namespace

TEST_CASE("json_file: a JSON document beside the scenario, its strings templated as json: has them", "[language]") {
    const auto r = load_scenario_text(scenario_with("{method: POST, path: /w, json_file: workflow.json}"), "s.yaml", sources());
    INFO(r.format());
    REQUIRE(r.ok());
    const auto& req = r.value->user_classes[0].tasks[0].steps[0].request;
    CHECK(req.content_type == "application/json");
    CHECK(req.data_sets == std::vector<std::uint32_t>{0});
    CHECK(req.variables.size() == 1);
    CHECK(nlohmann::json::parse(render(req.body)) == nlohmann::json::parse(R"({"workflow": "ingest", "priority": 3,
        "input": {"query": "row", "note": "say \"v\"1\"", "steps": [1, 2.5, true, null]}})"));
    // Read once, and shipped with the plan as data files are.
    CHECK(r.value->files.at("workflow.json") == files().at("workflow.json"));
}

TEST_CASE("body_file: the file's text is the body, a template", "[language]") {
    const auto r = load_scenario_text(scenario_with("{method: POST, path: /f, body_file: form.txt}"), "s.yaml", sources());
    INFO(r.format());
    REQUIRE(r.ok());
    const auto& req = r.value->user_classes[0].tasks[0].steps[0].request;
    CHECK(req.content_type.empty());
    CHECK(render(req.body) == "name=v\"1&n=7\n");
    CHECK(r.value->files.count("form.txt") == 1);
}

TEST_CASE("a body file's text that looks like the loader's markers stays text", "[language]") {
    const auto r = load_scenario_text(scenario_with("{method: POST, path: /m, json_file: plain.json}"), "s.yaml", sources());
    INFO(r.format());
    REQUIRE(r.ok());
    const auto body = nlohmann::json::parse(render(r.value->user_classes[0].tasks[0].steps[0].request.body));
    CHECK(body[0] == "\x01" "0\x01");
    CHECK(body[1] == 7);
}

TEST_CASE("a body file's problems name the step's line and the place in the file", "[language]") {
    CHECK(problems_of("{path: /w, json_file: missing.json}") ==
          "s.yaml:7:31: cannot read json file 'missing.json': No such file or directory\n");
    CHECK(problems_of("{path: /w, json_file: broken.json}") ==
          "s.yaml:7:31: json file 'broken.json' is not JSON, line 2, column 8: syntax error while parsing value - "
          "unexpected '}'; expected '[', '{', or a literal\n");
    CHECK(problems_of("{path: /w, json_file: bad_template.json}") ==
          "s.yaml:7:31: json file 'bad_template.json' at '/a/1', character 4: undefined variable 'nope' (did you mean 'note'?)\n");
    CHECK(problems_of("{path: /w, body_file: bad_template.txt}") ==
          "s.yaml:7:31: body file 'bad_template.txt', line 2, column 6: wrong arguments: use random_int(low, high)\n");
    CHECK(problems_of("{path: /w, json_file: marker.json}") ==
          "s.yaml:7:31: json file 'marker.json' at the top: a key may not hold the control character U+0001\n");
    CHECK(problems_of("{path: /w, json: {a: 1}, json_file: workflow.json}") ==
          "s.yaml:7:45: a request has one of 'json', 'body', 'json_file', 'body_file' or 'jsonrpc', not several\n");
    CHECK(problems_of("{path: /w, json_file: big.json}", {{"big.json", "[13e100000]"}}) ==
          "s.yaml:7:31: json file 'big.json' cannot be read: number overflow parsing '13e100000'\n");
    CHECK(problems_of("{path: /w, body_file: [a, b]}") == "s.yaml:7:31: body_file must be a text value\n");
}

TEST_CASE("a body file is bounded: its nesting, its values, its bytes", "[language]") {
    const std::string deep = std::string(200, '[') + std::string(200, ']');
    CHECK(problems_of("{path: /w, json_file: deep.json}", {{"deep.json", deep}}) ==
          "s.yaml:7:31: json file 'deep.json' nests deeper than 100 levels\n");
    // Far deeper than any stack: the parser does not recurse, the check stops at the bound.
    const std::string abyss = std::string(5'000'000, '[') + std::string(5'000'000, ']');
    CHECK(problems_of("{path: /w, json_file: abyss.json}", {{"abyss.json", abyss}}) ==
          "s.yaml:7:31: json file 'abyss.json' nests deeper than 100 levels\n");
    std::string many = "[";
    for (int i = 0; i < 100'000; ++i) many += "1,";
    many += "1]";
    CHECK(problems_of("{path: /w, json_file: many.json}", {{"many.json", many}}) ==
          "s.yaml:7:31: json file 'many.json' has more than 100000 values\n");
    const std::string huge(61u << 20, ' ');
    CHECK(problems_of("{path: /w, body_file: huge.txt}", {{"huge.txt", huge}}) ==
          "s.yaml:7:31: body file 'huge.txt' takes the scenario and its files past 60 MiB, the most sent to workers\n");
}

TEST_CASE("a WebSocket message can come from a file too", "[language]") {
    const auto r = load_scenario_text(
        "host: ws://h:1\nuser_classes:\n  - vars: {note: hi}\n    tasks:\n      - steps:\n"
        "          - {ws: connect, path: /chat}\n          - {ws: send, json_file: workflow.json}\n",
        "s.yaml", sources());
    // workflow.json names data.q, which this scenario lacks.
    CHECK(r.format().find("json file 'workflow.json' at '/input/query'") != std::string::npos);
    const auto ok = load_scenario_text(
        "host: ws://h:1\nuser_classes:\n  - vars: {note: hi}\n    tasks:\n      - steps:\n"
        "          - {ws: connect, path: /chat}\n          - {ws: send, body_file: form.txt}\n          - {ws: close}\n",
        "s.yaml", sources());
    INFO(ok.format());
    REQUIRE(ok.ok());
    CHECK(render(ok.value->user_classes[0].tasks[0].steps[1].request.body) == "name=v\"1&n=7\n");
    CHECK(load_scenario_text("host: ws://h:1\nuser_classes:\n  - tasks:\n      - steps:\n"
                             "          - {ws: connect, path: /chat, body_file: form.txt}\n",
                             "s.yaml", sources())
              .format() == "s.yaml:5:51: 'body_file' belongs to a 'ws: send' step\n");
}
