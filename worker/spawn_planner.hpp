#pragma once
// Decides, tick by tick, which users to start or end so that each user class moves toward its
// assigned count at the spawn rate, spread evenly over the io threads. Pure logic: the engine
// carries out its actions; tests drive it with made-up clocks.
#include <chrono>
#include <vector>

namespace stampede::worker {

struct spawn_action {
    enum class kind { start, end };
    kind type;
    int class_index;
    int thread;
};

class spawn_planner {
public:
    using clock = std::chrono::steady_clock;

    spawn_planner(int class_count, int thread_count);
    // `phase` in [0, 1): the part of a spawn period to wait before the first action (0: at once).
    void assign(std::vector<int> users_per_class, double spawn_rate, clock::time_point now, double phase = 0);
    // Actions due by `now`: spawn_rate per second since the last tick (the first one at once,
    // or after `phase` of a period).
    std::vector<spawn_action> tick(clock::time_point now);
    // Drops every user (a stop): the counts go to zero without actions.
    void clear();

    bool done() const;
    std::vector<int> users_per_class() const;
    int users() const;

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
