#include "master/load_schedule.hpp"

#include <catch2/catch.hpp>

using namespace stampede::master;
using namespace std::chrono_literals;

TEST_CASE("a one-stage schedule gives its target once, at the start", "[schedule]") {
    staged_schedule schedule({6, 3}, 2.5);
    const auto first = schedule.tick(0us);
    REQUIRE(first);
    CHECK(first->users_per_class == std::vector<int>{6, 3});
    CHECK(first->spawn_rate == 2.5);
    CHECK_FALSE(schedule.tick(1s));
    CHECK_FALSE(schedule.tick(10min));
}

TEST_CASE("stages are entered at their start offsets, each once, with its own target and rate", "[schedule]") {
    staged_schedule schedule({{{2}, 1.0, 0us}, {{2}, 1.0, 10s}, {{8}, 3.0, 15s}, {{0}, 0.5, 20s}});
    CHECK(schedule.stage_count() == 4);
    auto first = schedule.tick(0us);
    REQUIRE(first);
    CHECK(first->stage == 0);
    CHECK_FALSE(schedule.tick(9s));
    auto hold = schedule.tick(10s);  // the same users, a stage of its own
    REQUIRE(hold);
    CHECK(hold->stage == 1);
    auto up = schedule.tick(17s);
    REQUIRE(up);
    CHECK(up->users_per_class == std::vector<int>{8});
    CHECK(up->spawn_rate == 3.0);
    auto late = schedule.tick(25s);  // a tick that comes late still lands on the current stage
    REQUIRE(late);
    CHECK(late->stage == 3);
    CHECK_FALSE(schedule.tick(1h));
}
