#include "scenario/template.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "scenario/testing/fake_template_scope.hpp"

using namespace stampede::lang;
using stampede::lang::testing::fake_template_scope;

namespace {

// A deterministic context: a counting "random" source, two variables, one data row.
class fake_context final : public template_context {
public:
    std::uint64_t next_random = 0;
    std::uint64_t random_below(std::uint64_t bound) override { return next_random++ % bound; }
    std::string_view variable(std::uint32_t slot) override { return slot == 0 ? "job-7" : "a \"quoted\"\nvalue"; }
    bool has_variable(std::uint32_t) override { return true; }
    std::string_view data_value(std::uint32_t set, std::uint32_t column) override { return column == 0 ? "q1" : "simple"; }
    std::uint64_t next_counter() override { return ++counter; }
    std::uint64_t next_global_counter() override { return 100 + ++counter; }
    std::uint64_t user_index() override { return 4; }
    std::uint64_t counter = 0;
};

std::string render(const std::string& source, fake_context& context) {
    std::vector<template_error> errors;
    auto t = compile_template(source, fake_template_scope(), errors);
    REQUIRE(errors.empty());
    std::string out;
    render_template(t, context, out);
    return out;
}

std::string first_error(const std::string& source) {
    std::vector<template_error> errors;
    compile_template(source, fake_template_scope(), errors);
    REQUIRE_FALSE(errors.empty());
    return std::to_string(errors[0].offset) + ": " + errors[0].message;
}

}  // namespace

TEST_CASE("text without expressions is one constant piece", "[template]") {
    std::vector<template_error> errors;
    auto t = compile_template("/v1/health", fake_template_scope(), errors);
    CHECK(errors.empty());
    CHECK(t.constant());
    CHECK(t.text() == "/v1/health");
    auto empty = compile_template("", fake_template_scope(), errors);
    CHECK(empty.constant());
    CHECK(empty.text().empty());
}

TEST_CASE("every function and reference renders", "[template]") {
    fake_context c;
    CHECK(render("/jobs/{{ job_id }}/x", c) == "/jobs/job-7/x");
    CHECK(render("{{random_int(10, 12)}}-{{ random_int(10, 12) }}-{{ random_int(10,12) }}-{{ random_int(10, 12) }}", c) ==
          "10-11-12-10");
    CHECK(render("{{ random_choice('idle', \"busy\") }}", c) == "idle");
    CHECK(render("{{ counter() }},{{ counter() }}", c) == "1,2");
    CHECK(render("{{ global_counter() }}", c) == "103");
    CHECK(render("user {{ user_index() }}", c) == "user 4");
    CHECK(render("{{ env('API_KEY') }}", c) == "k-123");
    CHECK(render("{{ env('NOT_SET', 'fallback') }}", c) == "fallback");
    CHECK(render("{{ data.queries.query }}/{{ data.queries.complexity }}", c) == "q1/simple");
    CHECK(render("{{ '{{' }} literal", c) == "{{ literal");
    const auto uuid = render("{{ uuid() }}", c);
    CHECK(std::regex_match(uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
    CHECK(std::regex_match(render("{{ now_iso() }}", c), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(render("{{ timestamp() }}", c).size() == 10);
    CHECK(render("{{ timestamp_ms() }}", c).size() == 13);
}

TEST_CASE("the environment is read once, at compile time", "[template]") {
    std::vector<template_error> errors;
    auto t = compile_template("key={{ env('API_KEY') }}", fake_template_scope(), errors);
    CHECK(t.constant());
    CHECK(t.text() == "key=k-123");
}

TEST_CASE("a template lists the variables and data sets it reads", "[template]") {
    std::vector<template_error> errors;
    auto t = compile_template("{{ job_id }}/{{ note }}/{{ data.queries.query }}/{{ uuid() }}", fake_template_scope(), errors);
    CHECK(t.variables() == std::vector<std::uint32_t>{0, 1});
    CHECK(t.data_sets() == std::vector<std::uint32_t>{0});
    CHECK_FALSE(is_single_numeric(t));
    CHECK(is_single_numeric(compile_template("{{ random_int(1, 2) }}", fake_template_scope(), errors)));
    CHECK_FALSE(is_single_numeric(compile_template("n{{ random_int(1, 2) }}", fake_template_scope(), errors)));
}

TEST_CASE("random_int stays within its bounds, both ends reached", "[template]") {
    class real_random final : public template_context {
    public:
        std::uint64_t state = 12345;
        std::uint64_t random_below(std::uint64_t bound) override {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            return (state >> 33) % bound;
        }
        std::string_view variable(std::uint32_t) override { return {}; }
        bool has_variable(std::uint32_t) override { return false; }
        std::string_view data_value(std::uint32_t, std::uint32_t) override { return {}; }
        std::uint64_t next_counter() override { return 0; }
        std::uint64_t next_global_counter() override { return 0; }
        std::uint64_t user_index() override { return 0; }
    } c;
    std::vector<template_error> errors;
    auto t = compile_template("{{ random_int(-2, 2) }}", fake_template_scope(), errors);
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        std::string out;
        render_template(t, c, out);
        seen.insert(out);
    }
    CHECK(seen == std::set<std::string>{"-1", "-2", "0", "1", "2"});
}

TEST_CASE("template mistakes are caught at compile time, with their offset", "[template]") {
    CHECK(first_error("/a/{{ rnd_int(1, 2) }}") == "6: unknown template function 'rnd_int' (did you mean 'random_int'?)");
    CHECK(first_error("/a/{{ job_idd }}") == "6: undefined variable 'job_idd' (did you mean 'job_id'?)");
    CHECK(first_error("{{ zzzzzz }}") ==
          "3: undefined variable 'zzzzzz' (set it in the user class's vars, or extract it in an earlier step)");
    CHECK(first_error("{{ random_int(1) }}") == "3: wrong arguments: use random_int(low, high)");
    CHECK(first_error("{{ random_int(a, 2) }}") == "3: wrong arguments: use random_int(low, high)");
    CHECK(first_error("{{ random_int(5, 2) }}") == "3: random_int: the low bound exceeds the high bound");
    CHECK(first_error("{{ uuid(1) }}") == "3: wrong arguments: use uuid()");
    CHECK(first_error("{{ random_choice() }}") == "3: wrong arguments: use random_choice('a', 'b', ...)");
    CHECK(first_error("{{ env('NOT_SET') }}") ==
          "3: environment variable 'NOT_SET' is not set (give a default: env('NOT_SET', 'value'))");
    CHECK(first_error("{{ data.queries.nope }}") == "3: data set 'queries' has no column 'nope'");
    CHECK(first_error("{{ data.queries }}") == "15: write a data column as data.SET.COLUMN");
    CHECK(first_error("x {{ job_id") == "2: '{{' without a closing '}}'");
    CHECK(first_error("{{ }}") == "2: empty template expression");
    CHECK(first_error("{{ job_id extra }}") == "10: unexpected text after the template expression");
    CHECK(first_error("{{ random_choice('a) }}") == "17: unterminated string in template");
}

TEST_CASE("every mistake in a template is reported, not only the first", "[template]") {
    std::vector<template_error> errors;
    compile_template("{{ nope() }}/{{ missing }}", fake_template_scope(), errors);
    CHECK(errors.size() == 2);
}

TEST_CASE("values are escaped for JSON strings", "[template]") {
    std::string out;
    append_json_escaped("a \"b\"\\\n\t\x01", out);
    CHECK(out == "a \\\"b\\\"\\\\\\n\\t\\u0001");
}
