#pragma once
// Runs one load test: starts the load, collects a stats delta every interval, prints the
// status line, ends at the run time or on SIGINT/SIGTERM, and returns the result.
#include <iosfwd>
#include <optional>
#include <string>

#include "common/load_plan.hpp"
#include "common/scenario.hpp"
#include "master/run_result.hpp"
#include "worker/load_engine.hpp"

namespace stampede::master {

struct run_options {
    common::run_load load;
    std::optional<std::string> profile;
    common::micros stop_timeout{std::chrono::seconds(5)};
    common::micros snapshot_interval{std::chrono::seconds(1)};
    common::micros status_interval{std::chrono::seconds(2)};
    worker::engine_options engine;
    std::string command_line;
};

struct run_outcome {
    run_result result;
    std::string error;  // non-empty: the run could not start
};

run_outcome execute_run(common::scenario sc, const run_options& options, std::ostream& console);

}  // namespace stampede::master
