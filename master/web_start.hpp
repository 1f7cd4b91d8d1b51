#pragma once
// A start from the web page, planned as if its fields were the flags: the profile or tags it
// picks re-shape the run from its plan, its users, spawn rate and run time beat the command
// line's; and what the page's start form offers. Pure: the run controller applies the plan.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "master/start_request.hpp"
#include "scenario/run_plan.hpp"

namespace stampede::master {

// The run a start from the page asks for, from the command line's `run`; or why it cannot be.
common::result<lang::shaped_run> plan_start(const lang::shaped_run& run, const start_request& s);
// Whether the workers must shape the run again: what they run, not what the master assigns.
bool workers_replan(const lang::load_overrides& was, const lang::load_overrides& now);
// What the page's start form offers: the run's classes and load, the scenario's profiles and
// tags, and the choices made (the command line's, or the start's).
nlohmann::json scenario_offer(const lang::shaped_run& run);
// `users` per class, shared by the picked classes' weights (none picked: every class's).
std::vector<int> users_over(const lang::scenario& sc, const std::vector<std::string>& picked, int users);

}  // namespace stampede::master
