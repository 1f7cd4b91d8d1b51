#pragma once
// What a run is made of, from its shaped plan: the cluster's configuration, the load schedule
// the run loop ticks, what the result says of the plan, and the start message's words. Pure:
// the run controller builds the run from them, again when a start from the page re-plans it.
#include <memory>
#include <string>
#include <vector>

#include "master/cluster.hpp"
#include "master/load_schedule.hpp"
#include "master/run_controller.hpp"
#include "master/result_model.hpp"
#include "scenario/run_plan.hpp"

namespace stampede::master {

// What the result says of the run's plan.
void describe_plan(run_result& r, const lang::shaped_run& run);
// The cluster for the run, with a new run id.
cluster_config make_cluster_config(const lang::shaped_run& run, const run_options& o);
std::vector<std::string> class_names(const lang::scenario& sc);
// The load as the run loop ticks it: the plan's one stage, or its shape's stages, each split
// into users per class; or a capacity search.
std::unique_ptr<load_schedule> schedule_of(const lang::shaped_run& run, common::micros interval);

// The open-model classes as the start message names them: "arrivals at 200/s (Chat)".
struct open_model_text {
    std::string text;
    int users = 0;  // their pools' users at the start
    bool all_open = false;
};
open_model_text open_model_summary(const lang::scenario& sc);
// "<what>" of "Starting <what> on N worker(s)": the plan's load, or what the page started.
std::string start_text(const lang::run_load& load, std::size_t stages, bool shaped, const open_model_text& open);

}  // namespace stampede::master
