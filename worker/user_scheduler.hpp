#pragma once
// How an engine decides which users to start and end, and when: the seam between the engine
// and its load models. The closed model (spawn_planner: users moved toward a count at a spawn
// rate) is one implementation; an arrival-rate scheduler (iterations started at intended
// times from a pool of users) is meant to be another. Pure decisions: the engine carries out
// the actions on its io threads, and tests drive a scheduler with made-up clocks.
#include <chrono>
#include <vector>

namespace stampede::worker {

struct spawn_action {
    enum class kind { start, end };
    kind type;
    int class_index;
    int thread;
};

class user_scheduler {
public:
    using clock = std::chrono::steady_clock;
    virtual ~user_scheduler() = default;

    // The load to move toward: users per class, at `rate` per second, starting `phase` of a
    // period late (the worker's turn in the cluster's ramp).
    virtual void assign(std::vector<int> users_per_class, double rate, clock::time_point now, double phase) = 0;
    // Actions due by `now`.
    virtual std::vector<spawn_action> tick(clock::time_point now) = 0;
    // Drops every user (a stop): the counts go to zero without actions.
    virtual void clear() = 0;
    // Whether the assigned load is reached (nothing is left to start or end).
    virtual bool done() const = 0;
    virtual std::vector<int> users_per_class() const = 0;
    virtual int users() const = 0;
};

}  // namespace stampede::worker
