#include "proto/run_plan_codec.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace std::chrono_literals;

TEST_CASE("a run plan survives the wire whole, and what was not set stays unset", "[wire]") {
    lang::run_plan plan;
    plan.scenario_path = "dir/s.yaml";
    plan.scenario_yaml = std::string("host: x\n\xff", 9);  // bytes, not text
    plan.files["q.csv"] = "a\n1\n";
    plan.environment["KEY"] = "";
    plan.overrides.host = "http://10.0.0.1:81";
    plan.overrides.profile = "quick";
    plan.overrides.users = 7;
    plan.overrides.spawn_rate = 2.5;
    plan.overrides.run_time = common::micros(90s);
    plan.overrides.tags = {"a", "b"};
    plan.overrides.exclude_tags = {"c"};
    plan.seed = 42;

    v1::RunPlan wire_plan;
    wire::encode_run_plan(plan, wire_plan);
    v1::RunPlan parsed;
    REQUIRE(parsed.ParseFromString(wire_plan.SerializeAsString()));
    const auto back = wire::decode_run_plan(parsed);
    CHECK(back.scenario_path == plan.scenario_path);
    CHECK(back.scenario_yaml == plan.scenario_yaml);
    CHECK(back.files == plan.files);
    CHECK(back.environment == plan.environment);
    CHECK(back.overrides.host == plan.overrides.host);
    CHECK(back.overrides.profile == plan.overrides.profile);
    CHECK(back.overrides.users == plan.overrides.users);
    CHECK(back.overrides.spawn_rate == plan.overrides.spawn_rate);
    CHECK(back.overrides.run_time == plan.overrides.run_time);
    CHECK(back.overrides.tags == plan.overrides.tags);
    CHECK(back.overrides.exclude_tags == plan.overrides.exclude_tags);
    CHECK(back.seed == 42);

    v1::RunPlan empty;
    wire::encode_run_plan(lang::run_plan{}, empty);
    const auto nothing = wire::decode_run_plan(empty);
    CHECK_FALSE(nothing.overrides.host);
    CHECK_FALSE(nothing.overrides.profile);
    CHECK_FALSE(nothing.overrides.users);
    CHECK_FALSE(nothing.overrides.spawn_rate);
    CHECK_FALSE(nothing.overrides.run_time);
}

TEST_CASE("a hostile plan's numbers are clamped, not wrapped", "[wire]") {
    v1::RunPlan in;
    in.set_users(UINT32_MAX);
    in.set_run_time_us(UINT64_MAX);
    const auto plan = wire::decode_run_plan(in);
    CHECK(*plan.overrides.users == INT32_MAX);
    CHECK(plan.overrides.run_time->count() == INT64_MAX);
}
