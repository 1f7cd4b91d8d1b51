#include "master/load_schedule.hpp"

namespace stampede::master {

load_schedule::load_schedule(std::vector<int> users_per_class, double spawn_rate)
    : plan_{std::move(users_per_class), spawn_rate} {}

std::optional<load_target> load_schedule::tick(common::micros) {
    if (applied_ == plan_) return std::nullopt;
    applied_ = plan_;
    return plan_;
}

}  // namespace stampede::master
