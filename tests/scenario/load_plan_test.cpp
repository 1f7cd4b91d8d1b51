#include "scenario/load_plan.hpp"

#include <catch2/catch.hpp>

#include "scenario/loader/scenario_loader.hpp"

using namespace stampede::common;
using namespace stampede::lang;
using namespace std::chrono_literals;

namespace {

scenario sample() {
    auto r = load_scenario_text(R"(host: http://127.0.0.1:9
load: {users: 10, spawn_rate: 2, run_time: 1m}
profiles:
  quick: {users: 3, run_time: 5s}
  stress: {users: 900, spawn_rate: 90}
user_classes:
  - name: A
    tasks:
      - {path: /read, tags: [read]}
      - {path: /write, tags: [write, slow]}
  - name: B
    tasks:
      - {path: /admin, tags: [admin]}
)", "plan.yaml");
    REQUIRE(r.ok());
    return *r.value;
}

}  // namespace

TEST_CASE("flags beat the profile, the profile beats the file", "[plan]") {
    auto sc = sample();
    auto plain = apply_load_plan(sc, {});
    REQUIRE(plain.ok());
    CHECK(plain->users == 10);
    CHECK(plain->spawn_rate == 2.0);
    CHECK(plain->run_time == micros(1min));

    auto quick = apply_load_plan(sc, {.profile = "quick"});
    REQUIRE(quick.ok());
    CHECK(quick->users == 3);
    CHECK(quick->spawn_rate == 2.0);  // not in the profile: the file's value
    CHECK(quick->run_time == micros(5s));

    auto flagged = apply_load_plan(sc, {.users = 7, .run_time = micros(2s), .profile = "stress"});
    REQUIRE(flagged.ok());
    CHECK(flagged->users == 7);
    CHECK(flagged->spawn_rate == 90.0);
    CHECK(flagged->run_time == micros(2s));
}

TEST_CASE("an unknown profile suggests the nearest one", "[plan]") {
    auto sc = sample();
    CHECK(apply_load_plan(sc, {.profile = "stres"}).error() ==
          "--profile: no profile named 'stres' in plan.yaml (did you mean 'stress'?)");
    CHECK(apply_load_plan(sc, {.profile = "zzzzzzzz"}).error() ==
          "--profile: no profile named 'zzzzzzzz' in plan.yaml (profiles: quick stress)");
}

TEST_CASE("tags select tasks and drop classes left empty", "[plan]") {
    auto sc = sample();
    CHECK(apply_load_plan(sc, {.tags = {"read", "admin"}}).ok());
    REQUIRE(sc.user_classes.size() == 2);
    CHECK(sc.user_classes[0].tasks.size() == 1);
    CHECK(sc.user_classes[0].tasks[0].steps[0].request.path.source == "/read");

    auto excluded = sample();
    CHECK(apply_load_plan(excluded, {.exclude_tags = {"admin", "slow"}}).ok());
    REQUIRE(excluded.user_classes.size() == 1);
    CHECK(excluded.user_classes[0].tasks.size() == 1);

    auto nothing = sample();
    CHECK(apply_load_plan(nothing, {.tags = {"missing"}}).error() == "--tags/--exclude-tags: no task is left to run");
}

TEST_CASE("the host comes from the flag or the file", "[plan]") {
    auto sc = sample();
    CHECK(apply_load_plan(sc, {.host = "http://10.1.2.3:81"}).ok());
    CHECK(sc.default_host().url->host == "10.1.2.3");
    auto bad = sample();
    CHECK(apply_load_plan(bad, {.host = "nope"}).error() ==
          "--host: host 'nope': must start with http://, https://, ws:// or wss:// (for example http://127.0.0.1:8080)");
    auto none = sample();
    none.default_host().url.reset();
    CHECK(apply_load_plan(none, {}).error() ==
          "no host: set 'host' in plan.yaml or pass --host (user class 'A' sends to the default host)");
}
