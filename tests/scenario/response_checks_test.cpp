#include "scenario/response_checks.hpp"

#include <catch2/catch.hpp>

using namespace stampede::common;
using namespace stampede::lang;
using namespace std::chrono_literals;

namespace {

// Why a check or a JSON-RPC call failed; empty when it passed.
std::string reason(const status& s) { return s ? std::string() : s.error(); }

const char* solve_body = R"({"jsonrpc": "2.0", "id": 3, "result": {"answer": "solved: x = 2",
    "execution_trace": {"verification_passed": true, "steps": 4}, "items": [{"id": "a"}, {"id": "b"}]}})";

response_view response(std::string_view body, unsigned status = 200, micros latency = micros(1500)) {
    response_view r;
    r.status = status;
    r.body = body;
    r.latency = latency;
    r.header = [](std::string_view name) -> std::optional<std::string_view> {
        if (name == "Content-Type") return std::string_view("application/json");
        return std::nullopt;
    };
    return r;
}

check_spec json_check(const std::string& path, check_spec::predicate how = check_spec::predicate::exists) {
    check_spec c;
    c.what = check_spec::subject::json;
    c.how = how;
    c.path = *parse_json_path(path);
    return c;
}

check_spec expecting(check_spec c, expected_value::kind kind, double number = 0, bool boolean = false,
                     const std::string& text = "") {
    c.expected.type = kind;
    c.expected.number = number;
    c.expected.boolean = boolean;
    c.expected.text.source = text;
    return c;
}

}  // namespace

TEST_CASE("JSON paths parse dotted names and indexes", "[checks]") {
    auto p = parse_json_path("$.result.items[1].id");
    REQUIRE(p);
    REQUIRE(p->steps.size() == 4);
    CHECK(p->steps[0].key == "result");
    CHECK(p->steps[2].index == 1);
    CHECK(p->steps[3].key == "id");
    CHECK(parse_json_path("a..b").error() == "bad JSON path 'a..b': an empty name");
    CHECK(parse_json_path("items[x]").error() == "bad JSON path 'items[x]': an index must be a whole number, as in items[0]");
    CHECK(parse_json_path("items[0").error() == "bad JSON path 'items[0': '[' without ']'");
    CHECK_FALSE(parse_json_path("a."));
    CHECK_FALSE(parse_json_path(""));
}

TEST_CASE("JSON checks: exists, absent, equals by type, orderings, matches", "[checks]") {
    using p = check_spec::predicate;
    using k = expected_value::kind;
    const auto view = response(solve_body);
    response_inspector r(view);
    CHECK(r.check(json_check("result.answer"), "").ok());
    CHECK(r.check(json_check("result.items[1].id"), "").ok());
    CHECK(reason(r.check(json_check("result.missing"), "")) == "it is missing");
    CHECK(reason(r.check(json_check("result.items[5]"), "")) == "it is missing");
    CHECK(r.check(json_check("result.missing", p::absent), "").ok());
    CHECK(reason(r.check(json_check("result.answer", p::absent), "")) == "it is present: \"solved: x = 2\"");
    const auto verified = json_check("result.execution_trace.verification_passed", p::equals);
    CHECK(r.check(expecting(verified, k::boolean, 0, true), "").ok());
    CHECK(reason(r.check(expecting(verified, k::boolean, 0, false), "")) == "got true");
    CHECK(r.check(expecting(json_check("id", p::equals), k::number, 3), "").ok());
    CHECK(r.check(expecting(json_check("id", p::equals), k::text), "3").ok());  // text compares with the JSON text
    CHECK(r.check(expecting(json_check("result.answer", p::equals), k::text), "solved: x = 2").ok());
    CHECK(r.check(expecting(json_check("result.answer", p::not_equals), k::text), "other").ok());
    CHECK(r.check(expecting(json_check("result.execution_trace.steps", p::greater), k::number, 3), "").ok());
    CHECK(reason(r.check(expecting(json_check("result.execution_trace.steps", p::less_equal), k::number, 3), "")) == "got 4");
    CHECK(reason(r.check(expecting(json_check("result.answer", p::less), k::number, 3), "")) ==
          "not a number: \"solved: x = 2\"");
    auto matches = json_check("result.answer", p::matches);
    matches.regex = *compile_regex("^solved: x = [0-9]+$");
    CHECK(r.check(matches, "").ok());
    CHECK(r.check(expecting(json_check("result.answer", p::contains), k::text), "x = 2").ok());
}

TEST_CASE("a body that is not JSON fails JSON checks with that reason", "[checks]") {
    const auto view = response("<html>oops</html>");
    response_inspector r(view);
    CHECK(reason(r.check(json_check("a"), "")) == "the response is not JSON");
}

TEST_CASE("status, body, header and latency checks", "[checks]") {
    using p = check_spec::predicate;
    const auto view = response("all systems ok", 503, micros(750ms));
    response_inspector r(view);
    check_spec status;
    status.what = check_spec::subject::status;
    status.statuses = {200, 204};
    CHECK(reason(r.check(status, "")) == "got HTTP 503");
    check_spec body;
    body.what = check_spec::subject::body;
    body.how = p::contains;
    CHECK(r.check(body, "systems").ok());
    CHECK(reason(r.check(body, "down")) == "the body was 'all systems ok'");
    check_spec header;
    header.what = check_spec::subject::header;
    header.header = "Content-Type";
    header.how = p::equals;
    CHECK(r.check(header, "application/json").ok());
    CHECK(reason(r.check(header, "text/plain")) == "got 'application/json'");
    header.header = "X-Missing";
    CHECK(reason(r.check(header, "x")) == "no such header");
    check_spec latency;
    latency.what = check_spec::subject::latency;
    latency.latency = micros(500ms);
    CHECK(reason(r.check(latency, "")) == "took 750ms");
    latency.latency = micros(1s);
    CHECK(r.check(latency, "").ok());
}

TEST_CASE("extraction from JSON, a header or a regular expression", "[checks]") {
    const auto view = response(solve_body);
    response_inspector r(view);
    extract_spec e;
    e.path = *parse_json_path("result.items[0].id");
    CHECK(*r.extract(e) == "a");
    e.path = *parse_json_path("result.execution_trace");
    CHECK(*r.extract(e) == R"({"steps":4,"verification_passed":true})");
    e.path = *parse_json_path("nope");
    CHECK(r.extract(e).error() == "no value at JSON path 'nope'");
    extract_spec h;
    h.from = extract_spec::source::header;
    h.header = "Content-Type";
    CHECK(*r.extract(h) == "application/json");
    extract_spec re;
    re.from = extract_spec::source::regex;
    re.regex = *compile_regex("x = ([0-9]+)");
    CHECK(regex_groups(*re.regex) == 1);
    CHECK(*r.extract(re) == "2");
    re.regex = *compile_regex("y = ([0-9]+)");
    CHECK(r.extract(re).error() == "the regular expression found no match in the body");
}

TEST_CASE("JSON-RPC responses: a result passes, an error member fails with its message", "[checks]") {
    {
        const auto view = response(solve_body);
        response_inspector r(view);
        CHECK(r.jsonrpc_result().ok());
    }
    {
        const auto view = response(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"method not found"}})");
        response_inspector r(view);
        CHECK(reason(r.jsonrpc_result()) == "JSON-RPC error -32601: method not found");
    }
    {
        const auto view = response(R"({"jsonrpc":"2.0","id":1})");
        response_inspector r(view);
        CHECK(reason(r.jsonrpc_result()) == "the response has neither 'result' nor 'error'");
    }
    {
        const auto view = response("not json");
        response_inspector r(view);
        CHECK(reason(r.jsonrpc_result()) == "the response is not a JSON-RPC object");
    }
}

TEST_CASE("a bad regular expression is refused with a reason", "[checks]") {
    CHECK_THAT(compile_regex("(open").error(), Catch::StartsWith("bad regular expression '(open': "));
}

TEST_CASE("a body nested deeper than any API nests is not JSON, and never overflows the stack", "[checks]") {
    const std::string deep = "{\"a\": " + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}";
    auto view = response(deep);
    response_inspector inspector(view);
    const auto c = expecting(json_check("a", check_spec::predicate::equals), expected_value::kind::number, 1);
    CHECK(reason(inspector.check(c, "")) == "the response is not JSON");
    // 200 levels, as deep as anything real, still reads; brackets inside strings do not count.
    const std::string fine = "{\"a\": " + std::string(200, '[') + std::string(200, ']') + ", \"s\": \"" +
                             std::string(1000, '[') + "\"}";
    auto view2 = response(fine);
    response_inspector inspector2(view2);
    CHECK(inspector2.check(json_check("s"), "").ok());
}
