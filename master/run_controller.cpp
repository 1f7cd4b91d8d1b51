#include "master/run_controller.hpp"

#include "master/interruptible_wait.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "master/capacity_search.hpp"
#include "master/console_progress.hpp"
#include "master/finishing_signals.hpp"
#include "master/run_loop.hpp"
#include "master/steered_schedule.hpp"
#include "master/web_front.hpp"
#include "master/web_start.hpp"
#include "master/user_dispatch.hpp"
#include "master/verdicts.hpp"

namespace stampede::master {

namespace {

std::string new_run_id() {
    std::random_device rd;
    return fmt::format("{:08x}{:08x}", rd(), rd());
}

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

// The open-model classes as the start message names them: "arrivals at 200/s (Chat)".
struct open_model_text {
    std::string text;
    int users = 0;  // their pools' users at the start
    bool all_open = false;
};

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

// Waits for the expected workers, the web server (if any) serving on the same loop meanwhile
// and telling its page so; a signal while waiting ends the wait (and the run).
bool await_workers(boost::asio::io_context& io, cluster& c, web_front* web, const run_options& o, int port,
                   std::ostream& console, bool& interrupted) {
    if (!o.bind.empty()) {
        const auto host = o.bind.substr(0, o.bind.rfind(':'));
        console << "Waiting for " << o.expect_workers << " worker(s) on " << host << ":" << port << std::endl;
    }
    if (web) return web->await_workers(o.expect_workers, o.expect_workers_max_wait, interrupted);
    const auto end = master::await_workers(io, c, o.expect_workers, o.expect_workers_max_wait);
    interrupted = end == wait_end::signalled;
    return end == wait_end::done && c.health();
}

// What the page can do to the run: its start (checked against the command line's plan), the
// load while it goes (over the classes the start picked), and what the start form offers.
struct page_hooks_state {
    const lang::shaped_run& planned;  // the command line's
    const lang::shaped_run& current;  // what runs: the command line's, or the start's
    const std::vector<std::string>& picked;
    const nlohmann::json& offer;  // scenario_offer(current), made again only when it changes
};

// The web side of a run (with --web-port, or the web UI), its hooks into the loop and the plan.
std::unique_ptr<web_front> make_web(boost::asio::io_context& io, page_hooks_state runs, const run_options& options,
                                    run_result& result, cluster& cl, run_loop& loop, steered_schedule& steering,
                                    const std::string& run_id) {
    web_front_hooks hooks;
    hooks.steer = [&steering, &loop, runs](int users, double spawn_rate) {
        steering.steer(users_over(runs.current.sc, runs.picked, users), spawn_rate, "set from the web API");
        loop.emit(event_kind::load_changed, fmt::format("{} user(s) at {}/s, from the web API", users, spawn_rate));
    };
    hooks.check = [runs](const start_request& s) -> common::status {
        if (auto planned = plan_start(runs.planned, s); !planned) return planned.why();
        return {};
    };
    hooks.scenario = [runs] { return runs.offer; };
    return std::make_unique<web_front>(io, options.web, result, cl, loop, run_id, std::move(hooks));
}

// The run does not start: the outcome says why, and the workers are told to go.
run_outcome& refuse_start(run_outcome& outcome, cluster& cl, std::string error, int code, const std::string& told) {
    outcome.error = std::move(error);
    outcome.error_code = code;
    cl.quit(told);
    cl.await_disconnects(std::chrono::seconds(2));
    return outcome;
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

// Why the run ended, as its last event says.
std::string stop_reason(const run_outcome& outcome, const run_loop& loop, const run_result& result) {
    if (!outcome.error.empty()) return outcome.error;
    if (!loop.stopped_by().empty()) return loop.stopped_by();
    if (result.interrupted) return "interrupted";
    if (loop.schedule_done()) return "the capacity search is done";
    if (result.stopped_early)
        return "'" + result.stopped_early->condition + "' " + (result.stopped_early->stop_condition ? "held" : "failed");
    return "run time reached";
}

// The expected workers did not all come ready: the outcome says why (a signal, a worker that
// cannot run the scenario, or the wait's end).
run_outcome& workers_not_ready(run_outcome& outcome, cluster& cl, const run_options& o, bool interrupted) {
    if (interrupted)
        return refuse_start(outcome, cl, "interrupted before the run started", exit_interrupted, "the master was interrupted");
    if (auto health = cl.health(); !health)
        return refuse_start(outcome, cl, health.error(), exit_cannot_run, "a worker cannot run the scenario");
    return refuse_start(outcome, cl,
                        fmt::format("expected {} worker(s), {} connected within {}", o.expect_workers,
                                    cl.status().workers_active, common::format_duration(o.expect_workers_max_wait)),
                        exit_workers_missing, "not enough workers");
}

}  // namespace

run_outcome execute_run(const lang::shaped_run& run, const run_options& options, std::ostream& console) {
    lang::shaped_run current = run;  // what runs: the command line's plan, or as a start from the page re-planned it
    std::vector<std::string> picked;  // the classes the start picked (none: every class)
    nlohmann::json offer = scenario_offer(current);
    run_outcome outcome;
    auto& result = outcome.result;
    result.command_line = options.command_line;
    result.settings = options.settings;
    result.unauthenticated_listeners = options.unauthenticated_listeners;
    describe_plan(result, current);
    auto config = make_cluster_config(current, options);
    const auto run_id = config.run_id;
    cluster cl(std::move(config));
    wire::coordinator_server server(cl);
    if (auto started = server.start(options.bind, options.tls); !started) {
        outcome.error = started.error();
        return outcome;
    }
    auto schedule = std::make_unique<steered_schedule>(schedule_of(current, options.snapshot_interval));
    auto* steering = schedule.get();
    const auto monitor_of = [&](const lang::shaped_run& r) {
        return condition_monitor(r.sc.thresholds, r.load.stop_when, r.sc.checks, class_names(r.sc), options.snapshot_interval,
                                 options.base);
    };
    auto monitor = monitor_of(current);
    boost::asio::io_context io{1};  // the run loop's, shared with the web server
    run_loop loop(io, cl, result, std::move(schedule), options.snapshot_interval, current.load.run_time, &monitor);
    std::unique_ptr<web_front> web;
    if (options.web.port) {
        web = make_web(io, {run, current, picked, offer}, options, result, cl, loop, *steering, run_id);
        if (auto listening = web->listen(console); !listening)
            return refuse_start(outcome, cl, listening.error(), 2, "the master's web server cannot start");
    }
    // Local workers start once the web server listens: a port in use ends the run before them.
    std::unique_ptr<local_workers> locals;
    if (options.start_local_workers) locals = options.start_local_workers(server.in_process_channel());
    bool interrupted = false;
    if (!await_workers(io, cl, web.get(), options, server.port(), console, interrupted))
        return workers_not_ready(outcome, cl, options, interrupted);
    if (web && options.web.wait_for_start) {
        const auto start = web->await_start(console);
        if (!start)
            return refuse_start(outcome, cl, "interrupted before the run started", exit_interrupted, "the master was interrupted");
        auto planned = plan_start(run, *start);  // checked as it came: it holds
        if (!planned) return refuse_start(outcome, cl, planned.error(), 2, "the start from the web UI cannot run");
        const bool replan = workers_replan(current.plan.overrides, planned->plan.overrides);
        current = std::move(*planned);
        picked = start->classes;
        offer = scenario_offer(current);
        if (replan) {
            console << "The start re-plans the run: waiting for the workers to take the new plan" << std::endl;
            cl.replan(current.plan, current.sc.user_classes.size());
            if (!await_workers(io, cl, web.get(), options, server.port(), console, interrupted))
                return workers_not_ready(outcome, cl, options, interrupted);
        }
        describe_plan(result, current);
        // A plain load is the start's own stage; a profile's stages or search run as planned.
        steering->replace_plan(schedule_of(current, options.snapshot_interval));
        if (current.load.stages.empty() && !current.load.search)
            steering->steer(users_over(current.sc, picked, current.load.users), current.load.spawn_rate, "started from the web UI");
        monitor = monitor_of(current);
        loop.replan(current.load.run_time, &monitor);
    }
    const auto stages = steering->stage_count();
    outcome.started = true;
    result.start = wall_clock::now();
    if (web) web->run_begins();
    const auto& planned = result.load;  // the plan's, or what the page started
    const auto open = open_model_summary(current.sc);
    const int closed_users = open.all_open ? 0 : planned.users;
    console_progress progress(console, options.status_interval, closed_users + open.users, !options.bind.empty(),
                              stages);
    loop.observe(progress);
    console << "Starting " << start_text(planned, stages, !steering->steered(), open) << " on "
            << cl.status().workers_active << " worker(s) against " << result.target_url
            << std::endl;  // flushed: a log being followed shows the start
    loop.run();
    finishing_signals finishing(result.interrupted);
    cl.stop(options.stop_timeout);
    result.end = wall_clock::now();
    loop.take_last_interval();
    cl.quit("the run is over");
    cl.await_disconnects(std::chrono::seconds(3));
    locals.reset();
    server.shutdown();
    cl.describe(result);
    result.verdicts = judge_thresholds(current.sc.thresholds, result, options.base, &monitor);
    for (const auto& w : result.workers) result.threads += w.threads;
    if (auto health = cl.health(); !health) {
        outcome.error = health.error();
        outcome.error_code = exit_cannot_run;
    }
    result.events.push_back({result.end, event_kind::stopped, stop_reason(outcome, loop, result)});
    loop.finish();
    if (options.report) options.report(result);
    // A run ended by Ctrl-C ends the master too (a second one would exit at once anyway).
    const bool signalled = (result.interrupted && loop.stopped_by().empty()) || finishing.signalled();
    finishing.release();  // the linger's own wait takes the signals again
    if (web) web->linger(signalled ? std::optional(common::micros(0))
                         : options.web.ui ? options.web.autoquit : std::optional(options.web.metrics_linger),
                         console);
    return outcome;
}

}  // namespace stampede::master
