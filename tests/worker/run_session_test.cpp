// A run session from a plan alone: what the master would send, no master and no stream.
#include "worker/run_session.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace stampede;
using namespace stampede::worker;
using namespace std::chrono_literals;

namespace {

lang::run_plan plan_of(std::string yaml) {
    lang::run_plan plan;
    plan.scenario_path = "s.yaml";
    plan.scenario_yaml = std::move(yaml);
    return plan;
}

}  // namespace

TEST_CASE("a session opens from the plan alone: its data files and environment come with it", "[session]") {
    auto plan = plan_of(R"(host: http://127.0.0.1:9
headers: {X-Key: "{{ env('KEY') }}"}
data:
  rows: {file: rows.csv}
user_classes:
  - tasks: [{path: "/{{ data.rows.id }}"}]
)");
    plan.files["rows.csv"] = "id\n1\n2\n";
    plan.environment["KEY"] = "k-1";
    auto opened = run_session::open("run-1", plan, {1, "w"});
    INFO((opened ? "" : opened.error()));
    REQUIRE(opened.ok());
    auto& session = **opened;
    CHECK(session.run_id() == "run-1");
    CHECK(session.scenario_path() == "s.yaml");
    CHECK_FALSE(session.users_running());
    CHECK_FALSE(session.stop(0s));  // nothing ran

    session.assign({0}, 1.0, 0);
    CHECK(session.users_running());
    CHECK(session.stop(0s));
    CHECK_FALSE(session.users_running());
    CHECK(session.take_delta().empty());
}

TEST_CASE("a session that cannot open says why: a file the master did not send, a bad override", "[session]") {
    auto missing = plan_of("host: http://127.0.0.1:9\ndata:\n  rows: {file: rows.csv}\nuser_classes:\n  - tasks: [{path: /}]\n");
    auto opened = run_session::open("r", missing, {1, "w"});
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error() ==
          "the scenario does not load here:\ns.yaml:3:16: cannot read data file 'rows.csv': not among the files the master sent\n");

    auto bad_host = plan_of("host: http://127.0.0.1:9\nuser_classes:\n  - tasks: [{path: /}]\n");
    bad_host.overrides.host = "ftp://x";
    auto refused = run_session::open("r", bad_host, {1, "w"});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().starts_with("--host: "));

    auto unresolved = plan_of("host: http://no-such-host.invalid\nuser_classes:\n  - tasks: [{path: /}]\n");
    auto failed = run_session::open("r", unresolved, {1, "w"});
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().starts_with("cannot resolve host 'no-such-host.invalid'"));
}
