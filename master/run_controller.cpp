#include "master/run_controller.hpp"

#include "master/interruptible_wait.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "master/console_progress.hpp"
#include "master/finishing_signals.hpp"
#include "master/run_loop.hpp"
#include "master/service_watch.hpp"
#include "master/watch_sources.hpp"
#include "master/run_setup.hpp"
#include "master/steered_schedule.hpp"
#include "master/web_start.hpp"
#include "master/user_dispatch.hpp"
#include "conditions/verdicts.hpp"

namespace stampede::master {

namespace {

// Waits for the expected workers, the web server (if any) serving on the same loop meanwhile
// and telling its page so; a signal while waiting ends the wait (and the run).
bool await_workers(boost::asio::io_context& io, cluster& c, run_front* web, const run_options& o, int port,
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
std::unique_ptr<run_front> make_web(boost::asio::io_context& io, page_hooks_state runs, const run_options& options,
                                    run_result& result, cluster& cl, run_loop& loop, steered_schedule& steering,
                                    const std::string& run_id) {
    run_front_hooks hooks;
    hooks.steer = [&steering, &loop, runs](int users, double spawn_rate) {
        steering.steer(users_over(runs.current.sc, runs.picked, users), spawn_rate, "set from the web API");
        loop.emit(event_kind::load_changed, fmt::format("{} user(s) at {}/s, from the web API", users, spawn_rate));
    };
    hooks.check = [runs](const start_request& s) -> common::status {
        if (auto planned = plan_start(runs.planned, s); !planned) return planned.why();
        return {};
    };
    hooks.scenario = [runs] { return runs.offer; };
    return options.make_front({io, options.web, result, cl, loop, run_id, std::move(hooks)});
}

// The run does not start: the outcome says why, and the workers are told to go.
run_outcome& refuse_start(run_outcome& outcome, cluster& cl, std::string error, int code, const std::string& told) {
    outcome.error = std::move(error);
    outcome.error_code = code;
    cl.quit(told);
    cl.await_disconnects(std::chrono::seconds(2));
    return outcome;
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

// One run's parts, in the order they live and die: the cluster and its server, the live
// conditions, the run loop and its io_context, the web side, the local workers. `execute`
// walks them through the run's phases; each phase that ends the run early returns false with
// the outcome saying why.
class run_execution {
public:
    run_execution(const lang::shaped_run& run, const run_options& options, std::ostream& console)
        : run_(run), options_(options), console_(console), current_(run), offer_(scenario_offer(current_)),
          monitor_(monitor_of(current_)) {}

    run_outcome execute() {
        if (open() && gather() && take_web_start()) {
            run_load();
            finish();
        }
        return std::move(outcome_);
    }

private:
    conditions::condition_monitor monitor_of(const lang::shaped_run& r) const {
        return conditions::condition_monitor(r.sc.thresholds, r.load.stop_when, r.sc.checks, class_names(r.sc),
                                 options_.snapshot_interval, options_.base);
    }

    // The cluster, its server, the loop and the web server, listening.
    bool open() {
        auto& result = outcome_.result;
        result.command_line = options_.command_line;
        result.settings = options_.settings;
        result.unauthenticated_listeners = options_.unauthenticated_listeners;
        describe_plan(result, current_);
        auto config = make_cluster_config(current_, options_);
        run_id_ = config.run_id;
        cl_ = std::make_unique<cluster>(std::move(config));
        server_ = std::make_unique<wire::coordinator_server>(*cl_);
        if (auto started = server_->start(options_.bind, options_.tls); !started) {
            outcome_.error = started.error();
            return false;
        }
        auto schedule = std::make_unique<steered_schedule>(schedule_of(current_, options_.snapshot_interval));
        steering_ = schedule.get();
        loop_ = std::make_unique<run_loop>(io_, *cl_, result, std::move(schedule), options_.snapshot_interval,
                                           current_.load.run_time, &monitor_);
        if (!open_watch()) return false;
        if (!options_.web.port) return true;
        if (!options_.make_front) {  // a master put together without a web side
            refuse_start(outcome_, *cl_, "--web-port: this master has no web server", 2, "the master's web server cannot start");
            return false;
        }
        web_ = make_web(io_, {run_, current_, picked_, offer_}, options_, result, *cl_, *loop_, *steering_, run_id_);
        if (auto listening = web_->listen(console_); !listening) {
            refuse_start(outcome_, *cl_, listening.error(), 2, "the master's web server cannot start");
            return false;
        }
        return true;
    }

    // The service's watch, when the scenario asks for one: what it names is there.
    bool open_watch() {
        auto spec = current_.sc.watch;
        if (auto applied = lang::apply_watch_overrides(spec, options_.watch); !applied) {
            refuse_start(outcome_, *cl_, applied.error(), 2, "the service cannot be watched");
            return false;
        }
        if (spec.empty()) return true;
        auto sources = make_watch_sources(spec, current_.sc.hosts);
        if (!sources) {
            refuse_start(outcome_, *cl_, sources.error(), 2, "the service cannot be watched");
            return false;
        }
        watch_ = std::make_unique<service_watch>(std::move(*sources), spec.interval.value_or(options_.snapshot_interval));
        loop_->watch_service(*watch_);
        return true;
    }

    // The workers: local ones start once the web server listens (a port in use ends the run
    // before them); the expected ones come ready.
    bool gather() {
        if (options_.start_local_workers) locals_ = options_.start_local_workers(server_->in_process_channel());
        return await_ready();
    }

    bool await_ready() {
        bool interrupted = false;
        if (await_workers(io_, *cl_, web_.get(), options_, server_->port(), console_, interrupted)) return true;
        workers_not_ready(outcome_, *cl_, options_, interrupted);
        return false;
    }

    // With the web UI, the run waits for a start from the page, which may re-plan it.
    bool take_web_start() {
        if (!web_ || !options_.web.wait_for_start) return true;
        const auto start = web_->await_start(console_);
        if (!start) {
            refuse_start(outcome_, *cl_, "interrupted before the run started", exit_interrupted, "the master was interrupted");
            return false;
        }
        auto planned = plan_start(run_, *start);  // checked as it came: it holds
        if (!planned) {
            refuse_start(outcome_, *cl_, planned.error(), 2, "the start from the web UI cannot run");
            return false;
        }
        const bool replan = workers_replan(current_.plan.overrides, planned->plan.overrides);
        current_ = std::move(*planned);
        picked_ = start->classes;
        offer_ = scenario_offer(current_);
        if (replan) {
            console_ << "The start re-plans the run: waiting for the workers to take the new plan" << std::endl;
            cl_->replan(current_.plan, current_.sc.user_classes.size());
            if (!await_ready()) return false;
        }
        describe_plan(outcome_.result, current_);
        // A plain load is the start's own stage; a profile's stages or search run as planned.
        steering_->replace_plan(schedule_of(current_, options_.snapshot_interval));
        if (current_.load.stages.empty() && !current_.load.search)
            steering_->steer(users_over(current_.sc, picked_, current_.load.users), current_.load.spawn_rate,
                             "started from the web UI");
        monitor_ = monitor_of(current_);
        loop_->replan(current_.load.run_time, &monitor_);
        return true;
    }

    void run_load() {
        auto& result = outcome_.result;
        const auto stages = steering_->stage_count();
        outcome_.started = true;
        result.start = wall_clock::now();
        if (web_) web_->run_begins();
        const auto& planned = result.load;  // the plan's, or what the page started
        const auto open = open_model_summary(current_.sc);
        const int closed_users = open.all_open ? 0 : planned.users;
        progress_.emplace(console_, options_.status_interval, closed_users + open.users, !options_.bind.empty(), stages);
        loop_->observe(*progress_);  // it watches until the finish
        console_ << "Starting " << start_text(planned, stages, !steering_->steered(), open) << " on "
                 << cl_->status().workers_active << " worker(s) against " << result.target_url
                 << std::endl;  // flushed: a log being followed shows the start
        loop_->run();
    }

    // The stop, every count in, the workers gone, the verdicts and the reports; then the linger.
    void finish() {
        auto& result = outcome_.result;
        finishing_signals finishing(result.interrupted);
        cl_->stop(options_.stop_timeout);
        result.end = wall_clock::now();
        loop_->take_last_interval();
        cl_->quit("the run is over");
        cl_->await_disconnects(std::chrono::seconds(3));
        locals_.reset();
        server_->shutdown();
        cl_->describe(result);
        result.verdicts = conditions::judge_thresholds(current_.sc.thresholds, result, options_.base, &monitor_);
        for (const auto& w : result.workers) result.threads += w.threads;
        if (auto health = cl_->health(); !health) {
            outcome_.error = health.error();
            outcome_.error_code = exit_cannot_run;
        }
        result.events.push_back({result.end, event_kind::stopped, stop_reason(outcome_, *loop_, result)});
        loop_->finish();
        if (options_.report) options_.report(result);
        // A run ended by Ctrl-C ends the master too (a second one would exit at once anyway).
        const bool signalled = (result.interrupted && loop_->stopped_by().empty()) || finishing.signalled();
        finishing.release();  // the linger's own wait takes the signals again
        if (web_)
            web_->linger(signalled ? std::optional(common::micros(0))
                         : options_.web.ui ? options_.web.autoquit : std::optional(options_.web.metrics_linger),
                         console_);
    }

    const lang::shaped_run& run_;  // the command line's plan
    const run_options& options_;
    std::ostream& console_;
    lang::shaped_run current_;          // what runs: the command line's plan, or as a start from the page re-planned it
    std::vector<std::string> picked_;  // the classes the start picked (none: every class)
    nlohmann::json offer_;
    run_outcome outcome_;
    std::string run_id_;
    std::unique_ptr<cluster> cl_;
    std::unique_ptr<wire::coordinator_server> server_;
    steered_schedule* steering_ = nullptr;  // the loop's schedule
    conditions::condition_monitor monitor_;
    boost::asio::io_context io_{1};  // the run loop's, shared with the web server
    std::unique_ptr<service_watch> watch_;  // outlives the loop that reads it
    std::unique_ptr<run_loop> loop_;
    std::unique_ptr<run_front> web_;
    std::unique_ptr<local_workers> locals_;
    std::optional<console_progress> progress_;
};

}  // namespace

run_outcome execute_run(const lang::shaped_run& run, const run_options& options, std::ostream& console) {
    return run_execution(run, options, console).execute();
}

}  // namespace stampede::master
