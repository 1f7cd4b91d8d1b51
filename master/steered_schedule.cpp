#include "master/steered_schedule.hpp"

namespace stampede::master {

steered_schedule::steered_schedule(std::unique_ptr<load_schedule> planned) : planned_(std::move(planned)) {}

void steered_schedule::steer(std::vector<int> users_per_class, double spawn_rate, std::string name) {
    load_level t;
    t.users_per_class = std::move(users_per_class);
    t.spawn_rate = spawn_rate;
    t.name = std::move(name);
    pending_ = std::move(t);
    steered_ = true;
}

std::optional<load_level> steered_schedule::tick(common::micros elapsed) {
    if (pending_) {
        auto t = std::move(*pending_);
        pending_.reset();
        t.stage = stages_++;
        return t;
    }
    if (steered_) return std::nullopt;  // the steered load holds
    auto t = planned_->tick(elapsed);
    if (t && !t->end) stages_ = t->stage + 1;
    return t;
}

void steered_schedule::observe(const interval_counts& counts) {
    if (!steered_) planned_->observe(counts);
}

std::optional<breaking_point> steered_schedule::found() const { return planned_->found(); }

}  // namespace stampede::master
