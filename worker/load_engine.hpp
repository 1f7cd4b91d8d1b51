#pragma once
// The load engine: what a worker runs. The master drives it through this interface only:
// assign users per class and a spawn rate, stop, and take a stats delta each interval.
// Beast and Asio stay behind it (one fat translation unit), so includers compile fast.
#include <functional>
#include <memory>
#include <vector>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "scenario/scenario.hpp"
#include "stats/stats_delta.hpp"
#include "worker/arrival_share.hpp"

namespace stampede::worker {

struct io_thread;
struct prepared_scenario;
class user_scheduler;

// The engine's two seams: which users to start or end when (the load model), and what a
// user is (the protocol it speaks). Empty: the closed model (spawn_planner) and HTTP users.
using scheduler_factory = std::function<std::unique_ptr<user_scheduler>(int class_count, int thread_count)>;
using user_starter = std::function<void(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                                        int class_index, std::uint64_t seed)>;

struct engine_options {
    int threads = 0;  // io threads; 0 means one per core
    std::uint64_t seed = 0;  // 0 means random; fixed seeds make task choices repeatable
    scheduler_factory make_scheduler;
    user_starter start_user;
};

struct engine_status {
    std::vector<int> users_per_class;  // users running or being started, per user class
    int users = 0;
    bool spawning_complete = false;  // every class has reached its assigned count
};

class load_engine {
public:
    // The scenario must already be shaped by apply_load_plan (host set, tags applied).
    load_engine(lang::scenario sc, engine_options options);
    ~load_engine();
    load_engine(const load_engine&) = delete;
    load_engine& operator=(const load_engine&) = delete;

    // Resolves the host and starts the io threads, or says why it cannot run.
    common::status start();
    // Moves toward `users_per_class` users, starting or ending `spawn_rate` users per second.
    // `spawn_phase` in [0, 1): how far into its first spawn period this worker starts.
    // `arrivals`: this worker's part of the open-model classes' arrivals.
    void assign(std::vector<int> users_per_class, double spawn_rate, double spawn_phase = 0,
                arrival_share arrivals = {});
    // Ends every user. Users in think time end at once; a request in flight may finish
    // within `grace`, after which it is cut off and counted as cancelled. Blocks until done.
    void stop(common::micros grace);
    // The same in steps, for a caller that must keep talking while requests finish: end the
    // users (returns at once), ask whether the last has ended, cut off those still in a request.
    void end_users();
    bool users_ended() const;
    void cut_off();
    // Everything counted since the previous call. Call from one thread at a time.
    stats::stats_delta take_delta();
    engine_status status() const;
    int thread_count() const;
    const lang::scenario& plan() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace stampede::worker
