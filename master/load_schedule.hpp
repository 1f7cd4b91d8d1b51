#pragma once
// What load the cluster should apply, tick by tick: users per class and the spawn rate. Today
// one stage, the plan as it is (every user from the start, ramped at the spawn rate); stages,
// staircases and the open model are later schedules behind the same tick.
#include <optional>
#include <vector>

#include "common/duration.hpp"

namespace stampede::master {

struct load_target {
    std::vector<int> users_per_class;
    double spawn_rate = 1;
    bool operator==(const load_target&) const = default;
};

class load_schedule {
public:
    load_schedule(std::vector<int> users_per_class, double spawn_rate);
    // The target at `elapsed` since the start, when it differs from the last one returned.
    std::optional<load_target> tick(common::micros elapsed);

private:
    load_target plan_;
    std::optional<load_target> applied_;
};

}  // namespace stampede::master
