// Load shapes as scenarios write them: stages, staircases, and how profiles and flags replace them.
#include "scenario/loader/load_loader.hpp"

#include <catch2/catch.hpp>

#include "scenario/load_plan.hpp"
#include "scenario/loader/scenario_loader.hpp"

using namespace stampede::common;
using namespace stampede::lang;
using namespace std::chrono_literals;

namespace {

const char* classes = "user_classes:\n  - tasks: [{path: /}]\n";

scenario loaded(const std::string& head) {
    auto r = load_scenario_text("host: http://127.0.0.1:9\n" + head + classes, "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    return *r.value;
}

std::string problems(const std::string& head) {
    return load_scenario_text("host: http://127.0.0.1:9\n" + head + classes, "s.yaml").format();
}

}  // namespace

TEST_CASE("stages ramp in straight lines or jump at their own rate, and last their sum", "[shape]") {
    auto sc = loaded(R"(load:
  stages:
    - {duration: 1m, users: 5}
    - {duration: 15m, users: 5}
    - {duration: 30s, users: 50, spawn_rate: 10}
    - {duration: 1m, users: 0}
)");
    REQUIRE(sc.load.stages);
    REQUIRE(sc.load.stages->size() == 4);
    CHECK((*sc.load.stages)[2].spawn_rate == 10.0);
    auto load = apply_load_plan(sc, {});
    REQUIRE(load.ok());
    CHECK(load->users == 50);  // the peak
    CHECK(load->run_time == micros(1min + 15min + 30s + 1min));
    CHECK(stage_spawn_rate(load->stages[0], 0, 1) == Approx(5.0 / 60));
    CHECK(stage_spawn_rate(load->stages[1], 5, 0.25) == 0.25);  // a hold keeps the rate it had
    CHECK(stage_spawn_rate(load->stages[3], 50, 10) == Approx(50.0 / 60));
}

TEST_CASE("a staircase is read into its levels", "[shape]") {
    auto sc = loaded("load:\n  staircase: {start: 300, add: 50, every: 5m, max: 400}\n");
    const auto& stages = *sc.load.stages;
    REQUIRE(stages.size() == 3);
    CHECK(stages[0].users == 300);
    CHECK(stages[0].spawn_rate == 300.0);  // reached within a second
    CHECK(stages[2].users == 400);
    CHECK(stages[2].spawn_rate == 50.0);
    CHECK(stages[1].duration == micros(5min));

    auto ramped = loaded("load:\n  staircase: {start: 10, add: 10, every: 1m, ramp: 20s, max: 20}\n");
    const auto& r = *ramped.load.stages;
    REQUIRE(r.size() == 4);  // a ramp and a hold per level
    CHECK(r[0].duration == micros(20s));
    CHECK_FALSE(r[0].spawn_rate);
    CHECK(r[1].duration == micros(40s));
    CHECK(r[3].users == 20);
}

TEST_CASE("a profile's shape replaces the file's plan, and flags replace a shape", "[shape]") {
    auto sc = loaded(R"(load: {users: 10, spawn_rate: 2, run_time: 30s}
profiles:
  ramp:
    stages: [{duration: 10s, users: 4}, {duration: 5s, users: 4}]
)");
    auto plain = apply_load_plan(sc, {});
    REQUIRE(plain.ok());
    CHECK(plain->stages.empty());
    auto shaped = apply_load_plan(sc, {.profile = "ramp"});
    REQUIRE(shaped.ok());
    CHECK(shaped->stages.size() == 2);
    CHECK(shaped->run_time == micros(15s));  // the file's 30 s was for another shape
    auto cut = apply_load_plan(sc, {.run_time = micros(12s), .profile = "ramp"});
    CHECK(cut->run_time == micros(12s));
    auto flat = apply_load_plan(sc, {.users = 7, .profile = "ramp"});
    CHECK(flat->stages.empty());
    CHECK(flat->users == 7);
    auto rate_only = apply_load_plan(sc, {.spawn_rate = 3, .profile = "ramp"});
    CHECK(rate_only->stages.empty());
    CHECK(rate_only->users == 4);  // the shape's peak
    CHECK(rate_only->spawn_rate == 3.0);
}

TEST_CASE("stages that would last longer than a duration can say are refused, not wrapped", "[shape]") {
    auto sc = loaded("load:\n  staircase: {start: 1, add: 1, every: 200000h, max: 9000}\n");
    auto load = apply_load_plan(sc, {});
    REQUIRE_FALSE(load.ok());
    CHECK(load.error() == "the load's stages last more than 31 years");
}

TEST_CASE("shape mistakes are located", "[shape]") {
    CHECK(problems("load:\n  stages: []\n") ==
          "s.yaml:3:11: stages must be a non-empty list of {duration, users[, spawn_rate]}\n");
    CHECK(problems("load:\n  stages: [{users: 3}]\n") == "s.yaml:3:12: a stage needs a 'duration'\n");
    CHECK(problems("load:\n  stages: [{duration: 0s, users: 3}]\n") ==
          "s.yaml:3:23: a stage's duration must be more than 0\n");
    CHECK(problems("load:\n  stages: [{duration: 1s, users: -1}]\n").find("s.yaml:3:34:") == 0);
    CHECK(problems("load:\n  users: 5\n  stages: [{duration: 1s, users: 1}]\n") ==
          "s.yaml:3:10: 'users' is for a load without a shape: each stage gives its own\n");
    CHECK(problems("load:\n  staircase: {start: 1, add: 1, every: 1s}\n") ==
          "s.yaml:3:14: a staircase needs 'max'\n");
    CHECK(problems("load:\n  staircase: {start: 1, add: 1, every: 1s, max: 100000}\n") ==
          "s.yaml:3:14: the staircase makes more than 10000 stages\n");
    CHECK(problems("load:\n  staircase: {start: 1, add: 1, every: 1s, ramp: 1s, max: 3}\n") ==
          "s.yaml:3:50: ramp must be shorter than every\n");
    CHECK(problems("load:\n  stages: [{duration: 1s, users: 1, sprawn_rate: 3}]\n").find("unknown key 'sprawn_rate'") !=
          std::string::npos);
}

TEST_CASE("a profile carries its own thresholds, which replace the scenario's", "[shape]") {
    auto r = load_scenario_text(R"(host: http://127.0.0.1:9
thresholds: [p95 < 1s]
profiles:
  stress:
    stages: [{duration: 1m, users: 100}]
    thresholds: [success_rate > 90%, {endpoint: home, expect: p99 < 2s}]
user_classes:
  - tasks: [{name: home, path: /}]
)", "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    auto plain = *r.value;
    REQUIRE(apply_load_plan(plain, {}).ok());
    REQUIRE(plain.thresholds.size() == 1);
    auto stressed = *r.value;
    REQUIRE(apply_load_plan(stressed, {.profile = "stress"}).ok());
    REQUIRE(stressed.thresholds.size() == 2);
    CHECK(stressed.thresholds[1].endpoint_ids == std::vector<std::uint32_t>{0});
    CHECK(problems("profiles:\n  p: {users: 1, thresholds: [{endpoint: hom, expect: p95 < 1s}]}\n")
              .find("no endpoint named 'hom'") != std::string::npos);
    CHECK(problems("load: {users: 1, thresholds: [p95 < 1s]}\n").find("unknown key 'thresholds' in load") !=
          std::string::npos);
}

TEST_CASE("a stage may give its users per class, by name", "[shape]") {
    auto r = load_scenario_text(R"(host: http://127.0.0.1:9
load:
  stages:
    - {duration: 1m, users: {Reader: 10, Writer: 2}}
    - {duration: 1m, users: 4}
user_classes:
  - {name: Reader, tasks: [{path: /r}]}
  - {name: Writer, tasks: [{path: /w}]}
)", "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    const auto& stages = *r.value->load.stages;
    CHECK(stages[0].users == 12);
    REQUIRE(stages[0].per_class.size() == 2);
    CHECK(stages[0].per_class[1] == std::pair<std::string, int>{"Writer", 2});
    CHECK(stages[1].per_class.empty());
    CHECK(problems("load:\n  stages: [{duration: 1m, users: {Usr1: 3}}]\n") ==
          "s.yaml:3:34: no user class named 'Usr1' (did you mean 'User1'?)\n");
}

TEST_CASE("thresholds judged live: a window, a grace, abort_on_fail, no_data", "[thresholds]") {
    auto sc = loaded(R"(thresholds:
  - p95 < 300ms
  - {expect: "p95 < 500ms", window: 10s, grace: 30s, abort_on_fail: true}
  - {expect: "error_rate < 1%", abort_on_fail: true}
  - {expect: "requests > 0", no_data: pass}
)");
    REQUIRE(sc.thresholds.size() == 4);
    CHECK_FALSE(sc.thresholds[0].judged_live());
    CHECK(sc.thresholds[1].window == 10s);
    CHECK(sc.thresholds[1].grace == 30s);
    CHECK(sc.thresholds[1].abort_on_fail);
    CHECK_FALSE(sc.thresholds[2].window);
    CHECK(sc.thresholds[2].judged_live());  // over the run so far
    CHECK(sc.thresholds[3].no_data_passes);
    CHECK_FALSE(sc.thresholds[0].no_data_passes);
}

TEST_CASE("stop conditions end a load: a window of 10 s unless given, in profiles too", "[shape]") {
    auto sc = loaded(R"(load:
  staircase: {start: 10, add: 10, every: 30s, max: 100}
  stop_when: ["avg > 2s", {when: "error_rate > 5%", window: 30s, grace: 1m}]
profiles:
  gentle: {users: 5, stop_when: ["p99 > 1s"]}
)");
    REQUIRE(sc.load.stop_when);
    REQUIRE(sc.load.stop_when->size() == 2);
    CHECK((*sc.load.stop_when)[0].window == 10s);
    CHECK((*sc.load.stop_when)[1].window == 30s);
    CHECK((*sc.load.stop_when)[1].grace == 60s);
    auto load = apply_load_plan(sc, {});
    REQUIRE(load);
    CHECK(load->stop_when.size() == 2);
    auto with_profile = sc;
    load_overrides o;
    o.profile = "gentle";
    auto gentle = apply_load_plan(with_profile, o);
    REQUIRE(gentle);
    REQUIRE(gentle->stop_when.size() == 1);
    CHECK(gentle->stop_when[0].text == "p99 > 1s");
}

TEST_CASE("live-judging mistakes are located", "[thresholds]") {
    CHECK(problems("thresholds: [{expect: 'p95 < 1s', window: 500ms}]\n").find("s.yaml:2:43: a window is from 1s to 1h") !=
          std::string::npos);
    CHECK(problems("thresholds: [{expect: 'p95 < 1s', window: 2h}]\n").find("a window is from 1s to 1h") != std::string::npos);
    CHECK(problems("thresholds: [{expect: 'p95 < 1s', no_data: maybe}]\n").find("no_data is 'pass' or 'fail'") !=
          std::string::npos);
    CHECK(problems("thresholds: [{expect: 'p95 < 1s', abort_on_fail: sometimes}]\n").find("abort_on_fail") !=
          std::string::npos);
    CHECK(problems("load: {users: 1, stop_when: 'avg > 2s'}\n").find("stop_when must be a list") != std::string::npos);
    CHECK(problems("load: {users: 1, stop_when: [{window: 10s}]}\n").find("a stop condition needs 'when'") !=
          std::string::npos);
    CHECK(problems("load: {users: 1, stop_when: ['avg > 2x baseline']}\n").find("not a baseline") != std::string::npos);
    CHECK(problems("load: {users: 1, stop_when: [{when: 'avg > 2s', abort_on_fail: true}]}\n")
              .find("unknown key 'abort_on_fail'") != std::string::npos);
    CHECK(problems("load: {users: 1, stop_when: [{when: 'avg > 2s', endpoint: /nope}]}\n").find("no endpoint named '/nope'") !=
          std::string::npos);
    CHECK(problems("load: {users: 1, thresholds: ['p95 < 1s']}\n").find("unknown key 'thresholds'") != std::string::npos);
}

TEST_CASE("a threshold map without its condition says which key it needs", "[thresholds]") {
    CHECK(problems("thresholds: [{endpoint: x}]\n").find("s.yaml:2:14: a threshold needs 'expect'") != std::string::npos);
}

TEST_CASE("a capacity search is read with its defaults, and flags replace it", "[search]") {
    auto sc = loaded(R"(load:
  capacity_search:
    start: 50
    multiply: 2
    max: 3000
    step: 30s
    conditions: ["p95 < 500ms", {endpoint: /, expect: "error_rate < 1%"}]
)");
    REQUIRE(sc.load.search);
    const auto& s = *sc.load.search;
    CHECK(s.start == 50);
    CHECK(s.multiply == 2.0);
    CHECK(s.settle == 6s);    // a fifth of the step
    CHECK(s.confirm == 30s);  // one step
    CHECK(s.precision == 0);  // 1 % of the found load
    REQUIRE(s.conditions.size() == 2);
    CHECK(s.conditions[1].endpoint_ids.size() == 1);
    auto copy = sc;
    auto load = apply_load_plan(copy, {});
    REQUIRE(load);
    CHECK(load->search);
    CHECK(load->users == 3000);
    CHECK_FALSE(load->run_time);  // it ends by itself
    load_overrides flat;
    flat.users = 5;
    auto flattened = apply_load_plan(sc, flat);
    REQUIRE(flattened);
    CHECK_FALSE(flattened->search);
    CHECK(flattened->users == 5);
}

TEST_CASE("capacity search mistakes are located", "[search]") {
    auto search = [](const std::string& body) {
        return problems("load:\n  capacity_search: {" + body + "}\n");
    };
    const std::string base = "start: 10, max: 100, step: 10s, conditions: ['p95 < 1s']";
    CHECK(search(base).find("needs 'multiply' (such as 2) or 'add'") != std::string::npos);
    CHECK(search(base + ", multiply: 2, add: 5").find("'multiply' or by 'add', not both") != std::string::npos);
    CHECK(search(base + ", multiply: 1").find("multiply") != std::string::npos);
    CHECK(search(base + ", multiply: 1000").find("multiply is at most 100") != std::string::npos);
    CHECK(search("start: 10, max: 5, step: 10s, multiply: 2, conditions: ['p95 < 1s']").find("max must be at least start") !=
          std::string::npos);
    CHECK(search(base + ", add: 5, settle: 10s").find("settle must be shorter than step") != std::string::npos);
    CHECK(search("start: 1, max: 9999999, step: 1s, add: 1, conditions: ['p95 < 1s']").find("more than 10000 steps") !=
          std::string::npos);
    CHECK(search("start: 10, max: 100, step: 10s, add: 5, conditions: []").find("at least one condition") != std::string::npos);
    CHECK(search("start: 10, max: 100, step: 10s, add: 5, conditions: ['p95 < soon']").find("s.yaml:3") != std::string::npos);
    CHECK(search("start: 10, max: 100, step: 10s, add: 5, conditions: [{expect: 'p95 < 1s', window: 5s}]")
              .find("judged per step") != std::string::npos);
    CHECK(search("start: 10, max: 100, add: 5, conditions: ['p95 < 1s']").find("needs 'step'") != std::string::npos);
    CHECK(problems("load:\n  capacity_search: {" + base + ", add: 5}\n  stop_when: ['avg > 1s']\n")
              .find("stops by its own conditions") != std::string::npos);
    CHECK(problems("load:\n  capacity_search: {" + base + ", add: 5}\n  staircase: {start: 1, add: 1, every: 1s, max: 2}\n")
              .find("a load has one shape") != std::string::npos);
}

TEST_CASE("a threshold reads one user class's or one tag's endpoints", "[thresholds]") {
    auto r = load_scenario_text(R"(host: http://127.0.0.1:9
thresholds:
  - {class: Reader, expect: "p95 < 1s"}
  - {tag: write, expect: "error_rate < 1%"}
user_classes:
  - name: Reader
    on_start: [{name: login, path: /login}]
    tasks: [{name: read, path: /r}, {name: shared, path: /s}]
  - name: Writer
    tasks: [{name: write, path: /w, tags: [write]}, {name: shared, path: /s, tags: [write]}]
)", "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    const auto& sc = *r.value;
    auto names = [&](const threshold_spec& t) {
        std::vector<std::string> out;
        for (auto id : t.endpoint_ids) out.push_back(sc.endpoints[id].name);
        return out;
    };
    CHECK(sc.thresholds[0].scope == threshold_scope::user_class);
    CHECK(names(sc.thresholds[0]) == std::vector<std::string>{"login", "read", "shared"});
    CHECK(sc.thresholds[0].endpoint_keys == std::vector<std::string>{"GET login", "GET read", "GET shared"});
    CHECK(names(sc.thresholds[1]) == std::vector<std::string>{"shared", "write"});
    const auto bad = problems(R"(thresholds:
  - {class: Reeder, expect: "p95 < 1s"}
  - {tag: nope, expect: "p95 < 1s"}
  - {tag: x, endpoint: /, expect: "p95 < 1s"}
)");
    CHECK(bad.find("s.yaml:3:13: no user class named 'Reeder'") != std::string::npos);
    CHECK(bad.find("s.yaml:4:11: no task tagged 'nope'") != std::string::npos);
    CHECK(bad.find("one endpoint, class or tag, not two") != std::string::npos);
}

TEST_CASE("an arrival_rate class is read with its pool and its stages", "[arrivals]") {
    auto r = load_scenario_text(R"(host: http://127.0.0.1:9
user_classes:
  - name: Burst
    arrival_rate: 200
    tasks: [{path: /a}]
  - name: Chat
    arrival_rate:
      stages: [{duration: 1m, rate: 100}, {duration: 5m, rate: 500}]
      arrivals: poisson
      users: 20
      max_users: 800
      max_delay: 250ms
      timing: spin
    tasks: [{path: /b}]
  - name: Closed
    tasks: [{path: /c}]
)", "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    auto sc = *r.value;
    const auto& burst = *sc.user_classes[0].arrivals;
    CHECK(burst.rate == 200);
    CHECK(burst.users == 10);
    CHECK(burst.max_users == 200);  // enough for iterations of a second at the rate
    CHECK_FALSE(burst.poisson);
    CHECK_FALSE(burst.spin);
    const auto& chat = *sc.user_classes[1].arrivals;
    CHECK(chat.stages.size() == 2);
    CHECK(chat.poisson);
    CHECK(chat.max_users == 800);
    CHECK(chat.max_delay == 250ms);
    CHECK(chat.spin);
    CHECK(chat.peak_rate() == 500);
    CHECK_FALSE(sc.user_classes[2].arrivals);
    auto load = apply_load_plan(sc, {});
    REQUIRE(load);
    CHECK(load->run_time == 6min);  // the longest arrival stages
}

TEST_CASE("arrival_rate mistakes are located", "[arrivals]") {
    auto with = [](const std::string& cls) {
        return load_scenario_text("host: http://127.0.0.1:9\nuser_classes:\n  - " + cls + "\n    tasks: [{path: /}]\n", "s.yaml")
            .format();
    };
    CHECK(with("arrival_rate: 0").find("arrival_rate") != std::string::npos);
    CHECK(with("arrival_rate: 1e9").find("at most 10000000") != std::string::npos);
    CHECK(with("arrival_rate: {users: 3}").find("needs a 'rate' or 'stages'") != std::string::npos);
    CHECK(with("arrival_rate: {rate: 5, arrivals: bursty}").find("'even' (the default) or 'poisson'") != std::string::npos);
    CHECK(with("arrival_rate: {rate: 5, users: 10, max_users: 5}").find("max_users must be at least users") !=
          std::string::npos);
    CHECK(with("arrival_rate: {stages: [{duration: 0s, rate: 5}]}").find("more than 0") != std::string::npos);
    CHECK(with("arrival_rate: {stages: [{rate: 5}]}").find("needs a 'duration' and a 'rate'") != std::string::npos);
    CHECK(with("arrival_rate: {rate: 5, timing: busy}").find("'sleep' (the default) or 'spin'") != std::string::npos);
    CHECK(with("arrival_rate: {rate: 5, burst: 3}").find("unknown key 'burst'") != std::string::npos);
    CHECK(with("arrival_rate: 5\n    wait_time: {constant: 1s}").find("no wait_time") != std::string::npos);
    CHECK(with("arrival_rate: 5\n    fixed_count: 2").find("no fixed_count") != std::string::npos);
    CHECK(with("arrival_rate: 5\n    weight: 2").find("no weight") != std::string::npos);
}

TEST_CASE("a profile's arrival_rates replace its open classes' arrivals", "[arrivals]") {
    const std::string text = R"(host: http://127.0.0.1:9
load: {run_time: 1m}
profiles:
  stress:
    arrival_rates:
      Burst: 1000
      Chat: {stages: [{duration: 2m, rate: 300}], users: 50}
user_classes:
  - name: Burst
    arrival_rate: 20
    tasks: [{path: /a}]
  - name: Chat
    arrival_rate: 5
    tasks: [{path: /b}]
)";
    auto r = load_scenario_text(text, "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    auto sc = *r.value;
    load_overrides o;
    o.profile = "stress";
    REQUIRE(apply_load_plan(sc, o));
    CHECK(sc.user_classes[0].arrivals->rate == 1000);
    CHECK(sc.user_classes[1].arrivals->stages.size() == 1);
    CHECK(sc.user_classes[1].arrivals->users == 50);
    auto plain = *r.value;
    REQUIRE(apply_load_plan(plain, {}));
    CHECK(plain.user_classes[0].arrivals->rate == 20);  // only the profile changes them

    auto bad = [&](const std::string& profile) {
        return load_scenario_text("host: http://127.0.0.1:9\nprofiles:\n  p: {arrival_rates: " + profile + R"(}
user_classes:
  - name: Burst
    arrival_rate: 20
    tasks: [{path: /a}]
  - name: Reader
    tasks: [{path: /b}]
)", "s.yaml").format();
    };
    CHECK(bad("{Brust: 5}").find("s.yaml:3:22: no user class named 'Brust' (did you mean 'Burst'?)") != std::string::npos);
    CHECK(bad("{Reader: 5}").find("user class 'Reader' has no arrival_rate to replace") != std::string::npos);
    CHECK(bad("{Burst: -1}").find("arrival_rate") != std::string::npos);
    CHECK(load_scenario_text("host: http://127.0.0.1:9\nload: {arrival_rates: {X: 1}}\nuser_classes:\n  - tasks: [{path: /}]\n",
                             "s.yaml").format().find("unknown key 'arrival_rates' in load") != std::string::npos);
}
