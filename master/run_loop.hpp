#pragma once
// A run's control loop, on the calling thread: each interval it takes the cluster's merged
// delta into the aggregator and the current stage's figures, has the live conditions judge
// it, ticks the load schedule, and tells the observers; it ends at the run time, on
// SIGINT/SIGTERM (a second one exits at once), when a condition stops it, or when no worker
// can go on.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "master/cluster.hpp"
#include "conditions/condition_monitor.hpp"
#include "master/load_schedule.hpp"
#include "master/run_observer.hpp"
#include "master/service_watch.hpp"
#include "master/result_model.hpp"
#include "master/stage_recorder.hpp"
#include "master/stats_aggregator.hpp"
#include "master/worker_timeline.hpp"

namespace stampede::master {

class run_loop {
public:
    // `monitor`, when given, judges the live conditions (it outlives the loop). The loop runs
    // on `io`, which it shares with what serves the run as it goes (the master's web server).
    run_loop(boost::asio::io_context& io, cluster& c, run_result& result, std::unique_ptr<load_schedule> schedule,
             common::micros interval, std::optional<common::micros> run_time, conditions::condition_monitor* monitor = nullptr);
    void observe(run_observer& observer) { observers_.push_back(&observer); }
    // The service read beside the load: its series are the result's watched series; it starts
    // with the run, and each interval what it read joins the result (it outlives the loop).
    void watch_service(service_watch& watch);
    // Runs until the run time, a signal, a stop request or a failure; the cluster is still
    // running after. What else runs on the io_context is left pending, to run on.
    void run();
    // Stops the run as a signal would, for `why` ("stopped from the web API"); on the loop's thread.
    void request_stop(const std::string& why);
    bool running() const { return running_; }
    const std::string& stopped_by() const { return stopped_by_; }
    // The statistics start again from now (the web UI's reset): totals, errors, checks and the
    // current window; the history so far stays, and the reset is an event of the run.
    void reset_statistics();
    // Before run(), when a start re-planned the run: how long it runs (none: until stopped),
    // what judges its live conditions, and its totals shaped for its user classes.
    void replan(std::optional<common::micros> run_time, conditions::condition_monitor* monitor);
    // The last partial interval, taken after the users have stopped. It is recorded with the
    // users that ran during it, not the zero left after the stop.
    void take_last_interval();
    // The result is complete: observers finish.
    void finish();
    // Whether the schedule ended the run (a capacity search that is done).
    bool schedule_done() const { return schedule_done_; }
    // An event on the run's clock, appended to the result and told to the observers.
    void emit(event_kind kind, const std::string& detail, wall_clock::time_point at = wall_clock::now());

private:
    void schedule_tick();
    common::micros until_next_tick() const;
    wall_clock::time_point last_boundary(wall_clock::time_point now) const;
    wall_clock::time_point covered_until(std::optional<wall_clock::time_point> said) const;
    void apply(const load_level& target);
    void tick();
    bool judge(const stats::stats_delta& delta,
               const std::optional<std::pair<wall_clock::time_point, wall_clock::time_point>>& in_flight);
    void place_late(const std::vector<late_counts>& late);
    void stop_early(const conditions::stop_request& stop);
    void add_to_stage();
    void take_watch();
    double elapsed_s() const;

    cluster& cluster_;
    run_result& result_;
    std::unique_ptr<load_schedule> schedule_;
    common::micros interval_;
    std::optional<common::micros> run_time_;
    stats_aggregator aggregator_;
    worker_timeline worker_timeline_;
    conditions::condition_monitor* monitor_;
    service_watch* watch_ = nullptr;
    stage_recorder stages_;
    std::vector<run_observer*> observers_;
    boost::asio::io_context& io_;
    boost::asio::steady_timer ticker_;
    boost::asio::steady_timer deadline_;
    boost::asio::signal_set signals_;
    int users_ = 0;
    bool announced_spawned_ = false;
    bool schedule_done_ = false;
    bool running_ = false;
    std::string stopped_by_;  // a stop request's reason
};

}  // namespace stampede::master
