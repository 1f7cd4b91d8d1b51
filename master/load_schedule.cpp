#include "master/load_schedule.hpp"

namespace stampede::master {

staged_schedule::staged_schedule(std::vector<int> users_per_class, double spawn_rate)
    : stages_{{std::move(users_per_class), spawn_rate, common::micros(0)}} {}

staged_schedule::staged_schedule(std::vector<scheduled_stage> stages) : stages_(std::move(stages)) {}

std::optional<load_level> staged_schedule::tick(common::micros elapsed) {
    if (stages_.empty()) return std::nullopt;
    std::size_t current = 0;
    while (current + 1 < stages_.size() && stages_[current + 1].starts_at <= elapsed) ++current;
    if (applied_ == current) return std::nullopt;
    applied_ = current;
    const auto& s = stages_[current];
    load_level t;
    t.users_per_class = s.users_per_class;
    t.spawn_rate = s.spawn_rate;
    t.stage = current;
    return t;
}

}  // namespace stampede::master
