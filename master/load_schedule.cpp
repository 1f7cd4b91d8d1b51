#include "master/load_schedule.hpp"

namespace stampede::master {

load_schedule::load_schedule(std::vector<int> users_per_class, double spawn_rate)
    : stages_{{std::move(users_per_class), spawn_rate, common::micros(0)}} {}

load_schedule::load_schedule(std::vector<scheduled_stage> stages) : stages_(std::move(stages)) {}

std::optional<load_target> load_schedule::tick(common::micros elapsed) {
    if (stages_.empty()) return std::nullopt;
    std::size_t current = 0;
    while (current + 1 < stages_.size() && stages_[current + 1].starts_at <= elapsed) ++current;
    if (applied_ == current) return std::nullopt;
    applied_ = current;
    const auto& s = stages_[current];
    return load_target{s.users_per_class, s.spawn_rate, current};
}

}  // namespace stampede::master
