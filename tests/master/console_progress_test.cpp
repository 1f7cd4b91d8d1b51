#include "master/console_progress.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace stampede;
using namespace stampede::master;
using namespace stampede::report;

TEST_CASE("the console shows a status line per status interval and the spawn event", "[console]") {
    run_result result;
    result.start = wall_clock::now();
    result.history.push_back({});
    result.history.back().users = 4;
    std::ostringstream out;
    console_progress progress(out, common::micros(0), 4, true);
    cluster_status status{4, 4, 2};
    progress.on_interval(result, status);
    progress.on_event(result, {report::wall_clock::now(), report::event_kind::spawning_complete, "4 users"});
    progress.on_stopping("SIGINT received");
    const auto text = out.str();
    CHECK(text.find("users 4/4") != std::string::npos);
    CHECK(text.find("| workers 2") != std::string::npos);
    CHECK(text.find("All users spawned: 4 user(s) on 2 worker(s)") != std::string::npos);
    CHECK(text.find("SIGINT received: stopping the users") != std::string::npos);

    std::ostringstream quiet;
    console_progress slow(quiet, std::chrono::hours(1), 4, false);
    slow.on_interval(result, status);  // the first interval is within the hour: no line yet
    CHECK(quiet.str().empty());
}
