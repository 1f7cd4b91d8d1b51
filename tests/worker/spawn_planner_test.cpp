#include "worker/spawn_planner.hpp"

#include <climits>
#include <limits>

#include <catch2/catch.hpp>

using namespace stampede::worker;
using namespace std::chrono_literals;
using clock_type = spawn_planner::clock;

TEST_CASE("users start at the spawn rate, the first at once", "[spawn]") {
    spawn_planner p(1, 2);
    const auto t0 = clock_type::time_point{} + 1h;
    p.assign({10}, 4.0, t0);
    CHECK(p.tick(t0).size() == 1);
    CHECK(p.tick(t0 + 500ms).size() == 2);
    CHECK(p.tick(t0 + 1000ms).size() == 2);
    CHECK(p.users() == 5);
    p.tick(t0 + 2250ms);
    CHECK(p.users() == 10);
    CHECK(p.done());
    CHECK(p.tick(t0 + 10s).empty());
}

TEST_CASE("users spread evenly over threads", "[spawn]") {
    spawn_planner p(1, 4);
    const auto t0 = clock_type::time_point{} + 1h;
    p.assign({10}, 1000.0, t0);
    std::vector<int> per_thread(4, 0);
    for (const auto& a : p.tick(t0 + 1s)) ++per_thread[a.thread];
    CHECK(per_thread == std::vector<int>{3, 3, 2, 2});
}

TEST_CASE("the class mix holds while ramping", "[spawn]") {
    spawn_planner p(2, 1);
    const auto t0 = clock_type::time_point{} + 1h;
    p.assign({30, 10}, 4.0, t0);
    p.tick(t0);
    p.tick(t0 + 1s);  // 5 users so far
    auto counts = p.users_per_class();
    CHECK(counts[0] >= 3);
    CHECK(counts[1] >= 1);
    p.tick(t0 + 10s);
    CHECK(p.users_per_class() == std::vector<int>{30, 10});
}

TEST_CASE("lowering the count ends users at the spawn rate", "[spawn]") {
    spawn_planner p(1, 2);
    const auto t0 = clock_type::time_point{} + 1h;
    p.assign({6}, 100.0, t0);
    p.tick(t0 + 1s);
    REQUIRE(p.users() == 6);
    p.assign({2}, 2.0, t0 + 2s);
    auto actions = p.tick(t0 + 2s);
    REQUIRE(actions.size() == 1);
    CHECK(actions[0].type == spawn_action::kind::end);
    p.tick(t0 + 4s);
    CHECK(p.users() == 2);
    p.clear();
    CHECK(p.users() == 0);
}

TEST_CASE("a phase delays the first user by that part of a period, and a bad one is ignored", "[spawn]") {
    using clock = spawn_planner::clock;
    const auto t0 = clock::time_point{} + std::chrono::hours(1);
    spawn_planner p(1, 1);
    p.assign({3}, 2.0, t0, 0.5);  // periods of 500 ms: the first user 250 ms in
    CHECK(p.tick(t0 + std::chrono::milliseconds(200)).empty());
    CHECK(p.tick(t0 + std::chrono::milliseconds(260)).size() == 1);
    CHECK(p.tick(t0 + std::chrono::milliseconds(760)).size() == 1);
    spawn_planner q(1, 1);
    q.assign({3}, 2.0, t0, std::numeric_limits<double>::quiet_NaN());
    CHECK(q.tick(t0).size() == 1);  // as with no phase: the first user at once
}

TEST_CASE("a spawn rate past the flag's bound, or not a number, plans no faster than the bound", "[spawn]") {
    const auto t0 = clock_type::time_point{} + 1h;
    for (const double rate : {std::numeric_limits<double>::infinity(), 1e300, std::numeric_limits<double>::quiet_NaN()}) {
        spawn_planner p(1, 1);
        p.assign({INT_MAX}, rate, t0);
        const auto started = p.tick(t0 + 20ms).size();
        CHECK(started <= static_cast<std::size_t>(max_spawn_rate / 50 + 1));  // 20 ms of the bound
        CHECK(started >= 1);
    }
}
