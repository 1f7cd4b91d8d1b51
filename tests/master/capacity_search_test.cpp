// The capacity search as the run loop drives it: an interval's counts, then a tick, each
// second; here a target that answers in 20 ms up to 6 users and in 320 ms past them.
#include "master/capacity_search.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace stampede::master;
using namespace std::chrono_literals;

namespace {

lang::capacity_search_spec spec(int start, double multiply, int add, int max) {
    lang::capacity_search_spec s;
    s.start = start;
    s.multiply = multiply;
    s.add = add;
    s.max = max;
    s.step = 3s;
    s.settle = 1s;
    s.confirm = 3s;
    s.conditions = {*lang::parse_threshold("p95 < 150ms")};
    return s;
}

struct target_model {
    int capacity = 6;
    int latency_ms(int users) const { return users > capacity ? 320 : 20; }
};

// Runs the search second by second until it ends (or `seconds` pass); the users of each step.
struct driven {
    std::vector<int> steps;
    std::vector<std::string> outcomes;
    std::optional<breaking_point> found;
};

driven drive(capacity_search& search, target_model model, int seconds = 200) {
    driven out;
    int users = 0;
    auto take = [&](const load_level& t) {
        if (!t.previous_outcome.empty()) out.outcomes.push_back(t.previous_outcome);
        if (t.end) return false;
        users = 0;
        for (int n : t.users_per_class) users += n;
        out.steps.push_back(users);
        return true;
    };
    REQUIRE(take(*search.tick(0s)));
    for (int s = 1; s <= seconds; ++s) {
        stats::stats_delta delta(1, 0);
        for (int i = 0; i < users * 10; ++i)
            delta.endpoints[0].record(static_cast<std::uint64_t>(model.latency_ms(users)) * 1000, 0, false);
        const auto every = delta.merged_endpoints();
        search.observe({delta, every, 1.0, static_cast<double>(s)});
        if (auto t = search.tick(std::chrono::seconds(s)); t && !take(*t)) break;
    }
    out.found = search.found();
    return out;
}

std::vector<int> one_class(int users) { return {users}; }

}  // namespace

TEST_CASE("the search climbs, narrows between the last good and first bad load, then confirms", "[search]") {
    capacity_search search(spec(2, 2, 0, 64), one_class, {}, {});
    const auto run = drive(search, {});
    CHECK(run.steps == std::vector<int>{2, 4, 8, 6, 7, 6});
    CHECK(run.outcomes == std::vector<std::string>{"met", "met", "missed", "met", "missed", "confirmed"});
    REQUIRE(run.found);
    CHECK(run.found->searched);
    CHECK(run.found->search_complete);
    CHECK(run.found->last_good_users == 6);
    CHECK(run.found->users == 7);  // the lowest load that missed
    CHECK(run.found->condition == "p95 < 150ms");
    CHECK(run.found->measured_text == "320.0 ms");
    CHECK(run.found->confirmed == true);
    CHECK(*run.found->max_sustainable_rps == Approx(60));  // 6 users, 10 requests each a second
}

TEST_CASE("the search adds users per step, and its precision bounds the narrowing", "[search]") {
    auto s = spec(10, 0, 10, 100);
    s.precision = 3;
    s.confirm = 0s;
    capacity_search search(s, one_class, {}, {});
    const auto run = drive(search, {37});
    // 10, 20, 30 met and 40 missed; then 35 and 37 met, and 37 is within 3 of 40: found.
    CHECK(run.steps == std::vector<int>{10, 20, 30, 40, 35, 37});
    REQUIRE(run.found);
    CHECK(run.found->last_good_users == 37);
    CHECK(run.found->users == 40);
    CHECK_FALSE(run.found->confirmed);  // no confirmation asked for
}

TEST_CASE("a search whose first load misses, or whose max holds, says so", "[search]") {
    capacity_search too_much(spec(8, 2, 0, 64), one_class, {}, {});
    const auto missed = drive(too_much, {});
    CHECK(missed.steps == std::vector<int>{8});
    REQUIRE(missed.found);
    CHECK_FALSE(missed.found->last_good_users);
    CHECK(missed.found->users == 8);

    capacity_search easy(spec(1, 3, 0, 5), one_class, {}, {});
    const auto held = drive(easy, {});
    CHECK(held.steps == std::vector<int>{1, 3, 5});  // capped at max
    REQUIRE(held.found);
    CHECK(held.found->last_good_users == 5);
    CHECK_FALSE(held.found->users);  // nothing missed up to the max
}

TEST_CASE("a search cut short reports what it found so far, as incomplete", "[search]") {
    capacity_search search(spec(2, 2, 0, 64), one_class, {}, {});
    const auto run = drive(search, {}, 7);  // two steps judged, the third running
    REQUIRE(run.found);
    CHECK_FALSE(run.found->search_complete);
    CHECK(run.found->last_good_users == 4);
    CHECK_FALSE(run.found->users);
}

TEST_CASE("a step whose settled part has no requests misses", "[search]") {
    capacity_search search(spec(2, 2, 0, 64), one_class, {}, {});
    REQUIRE(search.tick(0s));
    for (int s = 1; s <= 3; ++s) {
        stats::stats_delta empty(1, 0);
        const auto every = empty.merged_endpoints();
        search.observe({empty, every, 1.0, static_cast<double>(s)});
        if (auto t = search.tick(std::chrono::seconds(s))) {
            CHECK(t->end);
            CHECK(t->previous_outcome == "missed");
        }
    }
    REQUIRE(search.found());
    CHECK(search.found()->measured_text == "no data");
}

TEST_CASE("a condition with no_data: pass is met by a step with nothing to measure", "[search]") {
    auto s = spec(2, 2, 0, 4);
    s.conditions[0].no_data_passes = true;
    s.confirm = 0s;
    capacity_search search(s, one_class, {}, {});
    REQUIRE(search.tick(0s));
    std::vector<std::string> outcomes;
    for (int t = 1; t <= 10; ++t) {
        stats::stats_delta empty(1, 0);
        const auto every = empty.merged_endpoints();
        search.observe({empty, every, 1.0, static_cast<double>(t)});
        if (auto next = search.tick(std::chrono::seconds(t))) outcomes.push_back(next->previous_outcome);
    }
    CHECK(outcomes == std::vector<std::string>{"met", "met"});  // 2, then 4: the max held
    REQUIRE(search.found());
    CHECK(search.found()->last_good_users == 4);
}
