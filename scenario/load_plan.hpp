#pragma once
// Shapes a loaded scenario into what will run: the chosen profile, command-line overrides
// (flags beat the profile, the profile beats the file's `load`), and tag filters.
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "scenario/scenario.hpp"

namespace stampede::lang {

using common::micros;

struct load_overrides {
    std::optional<std::string> host;    // the default host's base URL (--host)
    std::vector<std::string> host_urls; // "NAME=URL" (--host-url): a named host's, or "default"
    std::optional<int> users;
    std::optional<double> spawn_rate;
    std::optional<micros> run_time;
    std::optional<std::string> profile;
    std::vector<std::string> tags;
    std::vector<std::string> exclude_tags;
};

struct run_load {
    int users = 1;                   // with stages: the most any stage reaches
    double spawn_rate = 1.0;         // with stages: the first stage's
    std::optional<micros> run_time;  // none: run until stopped; with stages: their sum unless given
    std::vector<stage_spec> stages;  // empty: `users` at `spawn_rate` for the whole run
    std::vector<threshold_spec> stop_when;  // the run ends where one holds (over its window)
    std::optional<capacity_search_spec> search;  // the steps decided as the run goes; `users` its max
};

// How fast a stage moves its users: its own spawn rate, or the straight line from
// `previous_users` to its target over its duration (a hold keeps `previous_rate`).
double stage_spawn_rate(const stage_spec& stage, int previous_users, double previous_rate);

// Applies overrides to `sc` in place (host, task filters) and returns the effective load, or
// why the plan cannot run (the reason names the flag or key).
common::result<run_load> apply_load_plan(scenario& sc, const load_overrides& overrides);

// A start that runs some closed classes only (`picked`; open ones run at their rates whatever
// is picked): the thresholds over parts of the run only the others reach are left out and named,
// as --tags leaves them out, and their checks are no longer in the run.
void leave_out_unpicked_classes(scenario& sc, const std::vector<std::string>& picked);

// The load a profile of `sc` gives with no flags (its users, spawn rate, run time, stages), to
// describe it; `sc` is left as it is.
common::result<run_load> profile_load(const scenario& sc, const std::string& profile);

}  // namespace stampede::lang
