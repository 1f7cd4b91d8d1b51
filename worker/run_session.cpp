#include "worker/run_session.hpp"

#include <functional>

#include "worker/load_engine.hpp"

namespace stampede::worker {

common::result<std::unique_ptr<run_session>> run_session::open(std::string run_id, lang::run_plan plan,
                                                               const session_settings& settings) {
    const auto seed = plan.seed ? plan.seed ^ std::hash<std::string>{}(settings.worker_id) : 0;
    auto shaped = lang::shape_run(std::move(plan));
    if (!shaped) {  // a located listing from the loader, or one sentence naming the setting
        const auto& why = shaped.error();
        return why.ends_with('\n') ? common::fail("the scenario does not load here:\n" + why) : shaped.why();
    }
    auto scenario_path = shaped->plan.scenario_path;
    engine_options options;
    options.threads = settings.threads;
    options.seed = seed;
    auto engine = std::make_unique<load_engine>(std::move(shaped->sc), options);
    if (auto started = engine->start(); !started) return started.why();
    return std::unique_ptr<run_session>(new run_session(std::move(run_id), std::move(scenario_path), std::move(engine)));
}

run_session::run_session(std::string run_id, std::string scenario_path, std::unique_ptr<load_engine> engine)
    : run_id_(std::move(run_id)), scenario_path_(std::move(scenario_path)), engine_(std::move(engine)) {}

run_session::~run_session() = default;

void run_session::assign(std::vector<int> users_per_class, double spawn_rate, double spawn_phase,
                         arrival_share arrivals) {
    std::lock_guard lock(mutex_);
    engine_->assign(std::move(users_per_class), spawn_rate, spawn_phase, arrivals);
    users_running_ = true;
}

bool run_session::stop(common::micros grace) {
    std::lock_guard lock(mutex_);
    if (!users_running_) return false;
    engine_->stop(grace);
    users_running_ = false;
    return true;
}

bool run_session::begin_stop() {
    std::lock_guard lock(mutex_);
    if (!users_running_) return false;
    engine_->end_users();
    return true;
}

bool run_session::users_ended() const {
    std::lock_guard lock(mutex_);
    return engine_->users_ended();
}

int run_session::users() const {
    std::lock_guard lock(mutex_);
    return engine_->status().users;
}

stats::stats_delta run_session::take_delta() {
    std::lock_guard lock(mutex_);
    return engine_->take_delta();
}

}  // namespace stampede::worker
