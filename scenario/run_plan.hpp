#pragma once
// The run plan: what every part of one run must agree on, as one value. The scenario as the
// master read it (its text, the data files and environment values it read) and the command
// line's choices. The master builds it once (plan_run); each worker receives it whole in its
// welcome (wire::encode_run_plan) and shapes the same run from it alone (shape_run). A new
// setting is a field here and a line in its wire encoding, and reaches every worker.
#include <cstdint>
#include <map>
#include <string>

#include "common/result.hpp"
#include "scenario/load_plan.hpp"
#include "scenario/scenario.hpp"

namespace stampede::lang {

struct run_plan {
    std::string scenario_path;  // as given; in messages only
    std::string scenario_yaml;  // the scenario as written
    std::map<std::string, std::string> files;        // data files it read, by the name it uses
    std::map<std::string, std::string> environment;  // the env() values its templates read
    load_overrides overrides;   // profile, users, spawn rate, run time, host, tags
    std::uint64_t seed = 0;     // 0: random
};

// A plan made into what runs: the scenario loaded and narrowed (host, tags), and the load.
struct shaped_run {
    run_plan plan;
    scenario sc;
    run_load load;
};

// The master's side: reads the scenario file once, with its data files and the environment,
// and applies `overrides`. A scenario that does not load fails with every problem located,
// one "path:line:column: message\n" line each; a plan that cannot run, with one sentence
// naming the flag or key (no newline).
common::result<shaped_run> plan_run(const std::string& scenario_path, const load_overrides& overrides,
                                    std::uint64_t seed);
// A worker's side: the same run from the plan alone, nothing read from disk or the environment.
common::result<shaped_run> shape_run(run_plan plan);

}  // namespace stampede::lang
