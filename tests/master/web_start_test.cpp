#include "master/web_start.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

using namespace stampede;
using namespace stampede::master;

namespace {

// The command line's run of a scenario with two closed classes (3:1), a profile and tags.
lang::shaped_run planned() {
    const std::string dir = "/tmp/stampede-web-start-" + std::to_string(getpid());
    std::system(("mkdir -p " + dir).c_str());
    std::ofstream(dir + "/s.yaml") << R"(host: http://127.0.0.1:9
load: {users: 8, spawn_rate: 4}
profiles:
  quick: {users: 2, run_time: 5s}
user_classes:
  - {name: Reader, weight: 3, tasks: [{path: /r, tags: [read]}]}
  - {name: Writer, weight: 1, tasks: [{path: /w, tags: [write]}]}
)";
    auto run = lang::plan_run(dir + "/s.yaml", {}, 1);
    std::system(("rm -rf " + dir).c_str());
    REQUIRE(run.ok());
    return std::move(*run);
}

}  // namespace

TEST_CASE("a start from the page is planned as its fields were flags", "[web start]") {
    const auto run = planned();
    start_request users;
    users.users = 20;
    users.spawn_rate = 5;
    auto plain = plan_start(run, users);
    REQUIRE(plain);
    CHECK(plain->load.users == 20);
    CHECK(plain->load.spawn_rate == 5);
    CHECK_FALSE(workers_replan(run.plan.overrides, plain->plan.overrides));  // only what the master assigns

    start_request profile;
    profile.profile = "quick";
    auto quick = plan_start(run, profile);
    REQUIRE(quick);
    CHECK(quick->load.users == 2);
    CHECK(workers_replan(run.plan.overrides, quick->plan.overrides));

    start_request tagged;
    tagged.tags = std::vector<std::string>{"write"};
    auto writes = plan_start(run, tagged);
    REQUIRE(writes);
    CHECK(workers_replan(run.plan.overrides, writes->plan.overrides));

    start_request unknown;
    unknown.classes = {"Deleter"};
    const auto refused = plan_start(run, unknown);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().find("Deleter") != std::string::npos);
}

TEST_CASE("the users of a start are shared by the picked classes' weights, and the form offers the run", "[web start]") {
    const auto run = planned();
    CHECK(users_over(run.sc, {}, 8) == std::vector<int>{6, 2});
    CHECK(users_over(run.sc, {"Writer"}, 8) == std::vector<int>{0, 8});
    const auto offer = scenario_offer(run);
    REQUIRE(offer["profiles"].size() == 1);
    CHECK(offer["profiles"][0]["name"] == "quick");
    CHECK(offer["profiles"][0]["users"] == 2);
    CHECK(offer["user_classes"][1]["name"] == "Writer");
    CHECK(offer["all_tags"] == nlohmann::json::array({"read", "write"}));
}
