#pragma once
// A run session: the one run a worker serves, from the master's welcome to a running engine,
// and the engine steered from there (assignments, stops, deltas). It knows nothing of the
// stream: the agent hands it what the master said. Safe to call from the agent thread and
// the watchdog at once.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "scenario/run_plan.hpp"
#include "stats/stats_delta.hpp"
#include "worker/arrival_share.hpp"

namespace stampede::worker {

class load_engine;

struct session_settings {
    int threads = 0;        // io threads; 0: one per core
    std::string worker_id;  // mixed into the plan's seed, so workers do not repeat each other
};

class run_session {
public:
    // Shapes the plan into a started engine, from the plan alone (the scenario, data files
    // and environment values the master read); or why the scenario cannot run here.
    static common::result<std::unique_ptr<run_session>> open(std::string run_id, lang::run_plan plan,
                                                             const session_settings& settings);
    ~run_session();

    const std::string& run_id() const { return run_id_; }
    const std::string& scenario_path() const { return scenario_path_; }

    void assign(std::vector<int> users_per_class, double spawn_rate, double spawn_phase, arrival_share arrivals = {});
    // Ends every user; requests in flight may finish within `grace`. False if none ran.
    bool stop(common::micros grace);
    // The same in steps, so the agent keeps its heartbeats while requests finish: end the users
    // (false if none ran), then ask until every one has ended; stop(0) then cuts off the rest.
    bool begin_stop();
    bool users_ended() const;
    bool users_running() const { return users_running_; }
    int users() const;
    // Everything counted since the previous call.
    stats::stats_delta take_delta();

private:
    run_session(std::string run_id, std::string scenario_path, std::unique_ptr<load_engine> engine);

    std::string run_id_;
    std::string scenario_path_;
    mutable std::mutex mutex_;  // the agent thread and the watchdog both steer the engine
    std::unique_ptr<load_engine> engine_;
    std::atomic<bool> users_running_{false};
};

}  // namespace stampede::worker
