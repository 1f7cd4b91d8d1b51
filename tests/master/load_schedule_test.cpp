#include "master/load_schedule.hpp"

#include <catch2/catch.hpp>

using namespace stampede::master;
using namespace std::chrono_literals;

TEST_CASE("a one-stage schedule gives its target once, at the start", "[schedule]") {
    load_schedule schedule({6, 3}, 2.5);
    const auto first = schedule.tick(0us);
    REQUIRE(first);
    CHECK(first->users_per_class == std::vector<int>{6, 3});
    CHECK(first->spawn_rate == 2.5);
    CHECK_FALSE(schedule.tick(1s));
    CHECK_FALSE(schedule.tick(10min));
}
