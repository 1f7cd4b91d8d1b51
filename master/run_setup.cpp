#include "master/run_setup.hpp"

#include <fmt/format.h>

#include <random>

#include "master/capacity_search.hpp"
#include "master/user_dispatch.hpp"

namespace stampede::master {

namespace {

std::string new_run_id() {
    std::random_device rd;
    return fmt::format("{:08x}{:08x}", rd(), rd());
}

// A stage's users per class: its own counts by class name (a class a tag filter dropped
// takes none), else its users split by the classes' weights.
std::vector<int> stage_users(const std::vector<lang::user_class_spec>& classes, const lang::stage_spec& s) {
    if (s.per_class.empty()) return users_per_class(classes, s.users);
    std::vector<int> out;
    for (const auto& c : classes) {
        int n = 0;
        for (const auto& [name, count] : s.per_class)
            if (name == c.name) n = count;
        out.push_back(n);
    }
    return out;
}

}  // namespace

// What the result says of the run's plan; again when a start from the page re-planned it.
void describe_plan(run_result& r, const lang::shaped_run& run) {
    const auto& sc = run.sc;
    r.scenario_path = sc.source_path;
    r.hosts.clear();
    for (const auto& h : sc.hosts) r.hosts.push_back({h.name, h.url ? h.url->url() : ""});
    // A scenario whose steps all name their hosts may have no default one: the first named stands in.
    r.target_url = sc.hosts.size() > 1 && !sc.default_host().url ? r.hosts[1].url : r.hosts[0].url;
    r.profile = run.plan.overrides.profile;
    r.thresholds_left_out = sc.thresholds_left_out;
    r.load = run.load;
    r.user_classes.clear();
    for (const auto& cls : sc.user_classes) r.user_classes.push_back(cls.name);
    r.endpoints = sc.endpoints;
    r.checks = sc.checks;
}

cluster_config make_cluster_config(const lang::shaped_run& run, const run_options& o) {
    const auto& sc = run.sc;
    cluster_config c;
    c.run_id = new_run_id();
    c.plan = run.plan;
    c.token = o.token;
    c.endpoint_count = sc.endpoints.size();
    c.check_count = sc.checks.size();
    c.class_count = sc.user_classes.size();
    c.snapshot_interval = o.snapshot_interval;
    c.heartbeat_timeout = o.heartbeat_timeout;
    return c;
}

std::vector<std::string> class_names(const lang::scenario& sc) {
    std::vector<std::string> out;
    for (const auto& c : sc.user_classes) out.push_back(c.name);
    return out;
}

// The load as the run loop ticks it: the plan's one stage, or its shape's stages, each split
// into users per class.
std::unique_ptr<load_schedule> schedule_of(const lang::shaped_run& run, common::micros interval) {
    const auto& load = run.load;
    if (load.search) {
        auto split = [classes = run.sc.user_classes](int users) { return users_per_class(classes, users); };
        return std::make_unique<capacity_search>(*load.search, std::move(split), run.sc.checks, class_names(run.sc),
                                                 interval);
    }
    if (load.stages.empty())
        return std::make_unique<staged_schedule>(users_per_class(run.sc.user_classes, load.users), load.spawn_rate);
    std::vector<scheduled_stage> stages;
    common::micros starts_at{0};
    int previous_users = 0;
    double previous_rate = 1.0;
    for (const auto& s : load.stages) {
        previous_rate = lang::stage_spawn_rate(s, previous_users, previous_rate);
        stages.push_back({stage_users(run.sc.user_classes, s), previous_rate, starts_at});
        starts_at += s.duration;
        previous_users = s.users;
    }
    return std::make_unique<staged_schedule>(std::move(stages));
}

open_model_text open_model_summary(const lang::scenario& sc) {
    open_model_text out;
    out.all_open = !sc.user_classes.empty();
    for (const auto& c : sc.user_classes) {
        if (!c.arrivals) {
            out.all_open = false;
            continue;
        }
        out.users += c.arrivals->users;
        const auto rate = c.arrivals->stages.empty() ? fmt::format("{}/s", c.arrivals->rate)
                                                     : fmt::format("up to {}/s", c.arrivals->peak_rate());
        out.text += fmt::format("{}arrivals {} ({}, {} to {} users)", out.text.empty() ? "" : ", ", rate, c.name,
                                c.arrivals->users, c.arrivals->max_users);
    }
    return out;
}

// "Starting <what> on N worker(s)": the plan's load, or what the page started.
std::string start_text(const lang::run_load& load, std::size_t stages, bool shaped, const open_model_text& open) {
    std::string what;
    if (load.search && shaped)
        what = fmt::format("a capacity search from {} up to {} user(s),", load.search->start, load.users);
    else if (stages > 1 && shaped)
        what = fmt::format("{} stages, up to {} user(s),", stages, load.users);
    else if (!open.all_open && (load.users > 0 || open.text.empty()))
        what = fmt::format("{} user(s) at {}/s", load.users, load.spawn_rate);
    if (!open.text.empty()) what += (what.empty() ? "" : " and ") + open.text;
    return what;
}

}  // namespace stampede::master
