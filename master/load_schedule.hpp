#pragma once
// What load the cluster should apply, tick by tick: users per class and the spawn rate. A
// plain plan is one stage (every user from the start, ramped at the spawn rate); a shape is a
// list of stages, each entered at its start offset with its own target and rate (a linear
// ramp is the rate that reaches the target at the stage's end). The open model and stop
// conditions are later schedules behind the same tick.
#include <cstddef>
#include <optional>
#include <vector>

#include "common/duration.hpp"

namespace stampede::master {

struct load_target {
    std::vector<int> users_per_class;
    double spawn_rate = 1;
    std::size_t stage = 0;  // index into the schedule's stages
    bool operator==(const load_target&) const = default;
};

// A stage as the schedule runs it: entered at `starts_at` since the run's start.
struct scheduled_stage {
    std::vector<int> users_per_class;
    double spawn_rate = 1;
    common::micros starts_at{0};
};

class load_schedule {
public:
    // One stage for the whole run.
    load_schedule(std::vector<int> users_per_class, double spawn_rate);
    // Stages in order; their starts must not decrease.
    explicit load_schedule(std::vector<scheduled_stage> stages);

    // The target at `elapsed` since the start, when it differs from the last one returned.
    std::optional<load_target> tick(common::micros elapsed);
    std::size_t stage_count() const { return stages_.size(); }

private:
    std::vector<scheduled_stage> stages_;
    std::optional<std::size_t> applied_;
};

}  // namespace stampede::master
