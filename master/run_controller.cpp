#include "master/run_controller.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <iostream>
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

run_result describe_run(const common::scenario& sc, const run_options& options, int threads) {
    run_result r;
    r.scenario_path = sc.source_path;
    r.command_line = options.command_line;
    r.host = sc.host->scheme + "://" + sc.host->host + ":" + sc.host->port + sc.host->base_path;
    r.profile = options.profile;
    r.load = options.load;
    r.threads = threads;
    for (const auto& cls : sc.user_classes) r.user_classes.push_back(cls.name);
    r.endpoints = sc.endpoints;
    return r;
}

// The control loop on the calling thread: timers for snapshots, status and run time, and
// the signals that end a run early.
class run_loop {
public:
    run_loop(worker::load_engine& engine, run_result& result, const run_options& options,
             std::ostream& console)
        : engine_(engine), result_(result), options_(options), console_(console),
          aggregator_(result), snapshot_(io_), deadline_(io_), signals_(io_, SIGINT, SIGTERM) {}

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
    }

    // The last partial interval, taken after the users have stopped. It is recorded with the
    // users that ran during it, not the zero left after the stop.
    void finish() { aggregator_.add(engine_.take_delta(), wall_clock::now(), users_); }

private:
    void schedule_snapshot() {
        snapshot_.expires_after(options_.snapshot_interval);
        snapshot_.async_wait([this](auto ec) {
            if (ec) return;
            collect();
            report_progress();
            schedule_snapshot();
        });
    }

    void collect() {
        auto delta = engine_.take_delta();
        users_ = engine_.status().users;
        aggregator_.add(delta, wall_clock::now(), users_);
    }

    void report_progress() {
        const auto status = engine_.status();
        if (status.spawning_complete && !announced_spawned_ && status.users > 0) {
            announced_spawned_ = true;
            console_ << "All users spawned: " << status.users << " user(s)\n";
            result_.events.push_back({elapsed(), "spawning_complete", std::to_string(status.users) + " users"});
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - last_status_ >= options_.status_interval) {
            last_status_ = now;
            console_ << status_line(result_, aggregator_.latest(), options_.load.users) << std::endl;
        }
    }

    double elapsed() const { return std::chrono::duration<double>(wall_clock::now() - result_.start).count(); }

    worker::load_engine& engine_;
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

}  // namespace

run_outcome execute_run(common::scenario sc, const run_options& options, std::ostream& console) {
    const auto counts = users_per_class(sc.user_classes, options.load.users);
    worker::load_engine engine(std::move(sc), options.engine);
    run_outcome outcome;
    outcome.result = describe_run(engine.plan(), options, engine.thread_count());
    if (auto error = engine.start(); !error.empty()) {
        outcome.error = error;
        return outcome;
    }
    auto& result = outcome.result;
    result.start = wall_clock::now();
    run_loop loop(engine, result, options, console);
    console << "Starting " << options.load.users << " user(s) at " << options.load.spawn_rate
            << "/s on " << engine.thread_count() << " thread(s) against " << result.host << "\n";
    engine.assign(counts, options.load.spawn_rate);
    loop.run();
    engine.stop(options.stop_timeout);
    result.end = wall_clock::now();
    loop.finish();
    result.events.push_back({result.duration_s(), "stopped", result.interrupted ? "interrupted" : "run time reached"});
    return outcome;
}

}  // namespace stampede::master
