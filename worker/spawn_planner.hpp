#pragma once
// Decides, tick by tick, which users to start or end so that each user class moves toward its
// assigned count at the spawn rate, spread evenly over the io threads. Pure logic: the engine
// carries out its actions; tests drive it with made-up clocks.
#include <chrono>
#include <vector>

#include "worker/user_scheduler.hpp"

namespace stampede::worker {

// The closed model: each class moves toward its count at the spawn rate, on the least-loaded
// thread.
// The fastest spawn rate a worker plans for, users per second: the --spawn-rate flag's bound.
inline constexpr double max_spawn_rate = 1'000'000;

class spawn_planner final : public user_scheduler {
public:
    spawn_planner(int class_count, int thread_count);
    // `phase` in [0, 1): the part of a spawn period to wait before the first action (0: at once).
    void assign(std::vector<int> users_per_class, double spawn_rate, clock::time_point now,
                double phase = 0) override;
    // Actions due by `now`: spawn_rate per second since the last tick (the first one at once,
    // or after `phase` of a period).
    std::vector<spawn_action> tick(clock::time_point now) override;
    // Drops every user (a stop): the counts go to zero without actions.
    void clear() override;

    bool done() const override;
    std::vector<int> users_per_class() const override;
    int users() const override;

private:
    int next_class_to_start() const;
    int next_class_to_end() const;
    int least_loaded_thread() const;
    int thread_with_most(int class_index) const;

    std::vector<int> target_;
    std::vector<std::vector<int>> running_;  // [thread][class]
    double rate_ = 1.0;
    double allowance_ = 0.0;
    clock::time_point last_;
};

}  // namespace stampede::worker
