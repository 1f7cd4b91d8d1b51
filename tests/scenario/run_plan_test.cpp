#include "scenario/run_plan.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>

using namespace stampede;
using namespace stampede::lang;

namespace {

struct scenario_dir {
    std::string path = "/tmp/stampede-run-plan-" + std::to_string(getpid());
    scenario_dir() { std::system(("mkdir -p " + path).c_str()); }
    ~scenario_dir() { std::system(("rm -rf " + path).c_str()); }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path + "/" + name) << text;
        return path + "/" + name;
    }
};

}  // namespace

TEST_CASE("the master's plan carries what it read, and a worker shapes the same run from it alone", "[plan]") {
    scenario_dir dir;
    dir.write("rows.csv", "id\n1\n2\n");
    ::setenv("STAMPEDE_PLAN_TEST_KEY", "k-1", 1);
    const auto path = dir.write("s.yaml", R"(host: http://127.0.0.1:9
data:
  rows: {file: rows.csv}
headers: {X-Key: "{{ env('STAMPEDE_PLAN_TEST_KEY') }}"}
profiles:
  quick: {users: 3}
user_classes:
  - tasks:
      - {name: a, path: "/{{ data.rows.id }}", tags: [keep]}
      - {name: b, path: /b}
)");
    auto master = plan_run(path, {.profile = "quick", .tags = {"keep"}}, 9);
    REQUIRE(master.ok());
    CHECK(master->plan.files.at("rows.csv") == "id\n1\n2\n");
    CHECK(master->plan.environment.at("STAMPEDE_PLAN_TEST_KEY") == "k-1");
    CHECK(master->load.users == 3);
    CHECK(master->plan.seed == 9);

    std::remove((dir.path + "/rows.csv").c_str());  // a worker reads nothing from disk
    ::unsetenv("STAMPEDE_PLAN_TEST_KEY");
    auto worker = shape_run(master->plan);
    REQUIRE(worker.ok());
    CHECK(worker->load.users == 3);
    REQUIRE(worker->sc.user_classes.at(0).tasks.size() == 1);  // the tag filter applied alike
    CHECK(worker->sc.endpoints.size() == master->sc.endpoints.size());
    CHECK(worker->sc.data.at(0).rows.size() == 2);
}

TEST_CASE("a plan that cannot run says where or which setting", "[plan]") {
    scenario_dir dir;
    auto unreadable = plan_run(dir.path + "/none.yaml", {}, 0);
    REQUIRE_FALSE(unreadable.ok());
    CHECK(unreadable.error() == dir.path + "/none.yaml:0:0: cannot read the scenario file: No such file or directory\n");

    const auto path = dir.write("p.yaml", "host: http://127.0.0.1:9\nuser_classes:\n  - tasks: [{path: /}]\n");
    auto unknown = plan_run(path, {.profile = "quik"}, 0);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().starts_with("--profile: no profile named 'quik'"));

    const auto broken = dir.write("b.yaml", "host: http://127.0.0.1:9\nuser_classes:\n  - tasks: [{pth: /}]\n");
    auto located = plan_run(broken, {}, 0);
    REQUIRE_FALSE(located.ok());
    CHECK(located.error().starts_with(broken + ":3:"));
    CHECK(located.error().ends_with("\n"));
}
