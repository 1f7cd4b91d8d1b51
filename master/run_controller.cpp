#include "master/run_controller.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <fmt/format.h>
#include <iostream>
#include <random>
#include <thread>
#include <unistd.h>

#include "master/console_reporter.hpp"
#include "master/stats_aggregator.hpp"
#include "master/user_dispatch.hpp"

namespace stampede::master {

namespace asio = boost::asio;

namespace {

// After the first Ctrl-C the run stops gracefully; a second one means "now".
extern "C" void force_exit(int) {
    static const char message[] = "\nsecond interrupt: exiting without waiting\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(130);
}

std::string new_run_id() {
    std::random_device rd;
    return fmt::format("{:08x}{:08x}", rd(), rd());
}

run_result describe_run(const lang::scenario& sc, const run_options& options) {
    run_result r;
    r.scenario_path = sc.source_path;
    r.command_line = options.command_line;
    r.host = sc.host->url();
    r.profile = options.profile;
    r.load = options.load;
    for (const auto& cls : sc.user_classes) r.user_classes.push_back(cls.name);
    r.endpoints = sc.endpoints;
    r.checks = sc.checks;
    return r;
}

cluster_config make_cluster_config(const lang::scenario& sc, const run_options& o) {
    cluster_config c;
    c.run_id = new_run_id();
    c.scenario_path = sc.source_path;
    c.scenario_yaml = o.scenario_yaml;
    c.host_override = o.overrides.host.value_or("");
    c.tags = o.overrides.tags;
    c.exclude_tags = o.overrides.exclude_tags;
    c.seed = o.seed;
    c.token = o.token;
    c.files = sc.files;
    c.environment = sc.environment;
    c.endpoint_count = sc.endpoints.size();
    c.check_count = sc.checks.size();
    c.class_count = sc.user_classes.size();
    c.snapshot_interval = o.snapshot_interval;
    c.heartbeat_timeout = o.heartbeat_timeout;
    return c;
}

// The control loop on the calling thread: timers for snapshots, status and run time, and
// the signals that end a run early.
class run_loop {
public:
    run_loop(cluster& c, run_result& result, const run_options& options, std::ostream& console)
        : cluster_(c), result_(result), options_(options), console_(console), aggregator_(result),
          snapshot_(io_), deadline_(io_), signals_(io_, SIGINT, SIGTERM) {}

    void run() {
        signals_.async_wait([this](auto ec, int signal) {
            if (ec) return;
            console_ << "\n" << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " received: stopping the users\n";
            std::signal(SIGINT, force_exit);
            std::signal(SIGTERM, force_exit);
            result_.interrupted = true;
            io_.stop();
        });
        if (options_.load.run_time) {
            deadline_.expires_after(*options_.load.run_time);
            deadline_.async_wait([this](auto ec) { if (!ec) io_.stop(); });
        }
        schedule_snapshot();
        io_.run();
        users_ = cluster_.status().running_users;  // for the last interval, taken after the stop
    }

    // The last partial interval, taken after the users have stopped. It is recorded with the
    // users that ran during it, not the zero left after the stop.
    void finish() { aggregator_.add(cluster_.take_delta(), wall_clock::now(), users_); }

private:
    void schedule_snapshot() {
        snapshot_.expires_after(options_.snapshot_interval);
        snapshot_.async_wait([this](auto ec) {
            if (ec) return;
            if (!cluster_.failure().empty()) return io_.stop();  // no worker is left to run it
            const auto status = cluster_.status();
            users_ = status.running_users;
            aggregator_.add(cluster_.take_delta(), wall_clock::now(), users_);
            report_progress(status);
            schedule_snapshot();
        });
    }

    void report_progress(const cluster_status& status) {
        if (!announced_spawned_ && status.users > 0 && status.running_users == status.users) {
            announced_spawned_ = true;
            console_ << "All users spawned: " << status.users << " user(s) on " << status.workers_active
                     << " worker(s)\n";
            result_.events.push_back({elapsed(), "spawning_complete", std::to_string(status.users) + " users"});
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - last_status_ >= options_.status_interval) {
            last_status_ = now;
            console_ << status_line(result_, aggregator_.latest(), options_.load.users);
            if (!options_.bind.empty()) console_ << " | workers " << status.workers_active;
            console_ << std::endl;
        }
    }

    double elapsed() const { return std::chrono::duration<double>(wall_clock::now() - result_.start).count(); }

    cluster& cluster_;
    run_result& result_;
    const run_options& options_;
    std::ostream& console_;
    stats_aggregator aggregator_;
    asio::io_context io_{1};
    asio::steady_timer snapshot_;
    asio::steady_timer deadline_;
    asio::signal_set signals_;
    int users_ = 0;
    bool announced_spawned_ = false;
    std::chrono::steady_clock::time_point last_status_ = std::chrono::steady_clock::now();
};

// Waits for the expected workers; a signal while waiting ends the wait (and the run).
bool await_workers(cluster& c, const run_options& o, int port, std::ostream& console) {
    if (!o.bind.empty()) {
        const auto host = o.bind.substr(0, o.bind.rfind(':'));
        console << "Waiting for " << o.expect_workers << " worker(s) on " << host << ":" << port << std::endl;
    }
    return c.wait_for_workers(o.expect_workers, o.expect_workers_max_wait);
}

}  // namespace

run_outcome execute_run(lang::scenario sc, const run_options& options, std::ostream& console) {
    run_outcome outcome;
    outcome.result = describe_run(sc, options);
    auto& result = outcome.result;
    cluster cl(make_cluster_config(sc, options));
    coordinator_server server(cl);
    if (auto error = server.start(options.bind, options.tls); !error.empty()) {
        outcome.error = error;
        return outcome;
    }
    std::unique_ptr<local_workers> locals;
    if (options.start_local_workers) locals = options.start_local_workers(server.in_process_channel());
    if (!await_workers(cl, options, server.port(), console)) {
        if (auto failure = cl.failure(); !failure.empty()) {
            outcome.error = failure;
            outcome.error_code = exit_cannot_run;
        } else {
            outcome.error = fmt::format("expected {} worker(s), {} connected within {}", options.expect_workers,
                                        cl.status().workers_active,
                                        common::format_duration(options.expect_workers_max_wait));
            outcome.error_code = exit_workers_missing;
        }
        cl.quit(outcome.error_code == exit_cannot_run ? "a worker cannot run the scenario" : "not enough workers");
        cl.await_disconnects(std::chrono::seconds(2));
        return outcome;
    }
    outcome.started = true;
    result.start = wall_clock::now();
    run_loop loop(cl, result, options, console);
    console << "Starting " << options.load.users << " user(s) at " << options.load.spawn_rate << "/s on "
            << cl.status().workers_active << " worker(s) against " << result.host << "\n";
    cl.start(users_per_class(sc.user_classes, options.load.users), options.load.spawn_rate);
    loop.run();
    cl.stop(options.stop_timeout);
    result.end = wall_clock::now();
    loop.finish();
    cl.quit("the run is over");
    cl.await_disconnects(std::chrono::seconds(3));
    locals.reset();
    server.shutdown();
    cl.describe(result);
    for (const auto& w : result.workers) result.threads += w.threads;
    if (auto failure = cl.failure(); !failure.empty()) {
        outcome.error = failure;
        outcome.error_code = exit_cannot_run;
    }
    const std::string why = !outcome.error.empty() ? outcome.error : result.interrupted ? "interrupted" : "run time reached";
    result.events.push_back({result.duration_s(), "stopped", why});
    return outcome;
}

}  // namespace stampede::master
