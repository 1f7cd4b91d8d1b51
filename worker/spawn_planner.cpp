#include "worker/spawn_planner.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <numeric>

namespace stampede::worker {

spawn_planner::spawn_planner(int class_count, int thread_count)
    : target_(class_count, 0), running_(thread_count, std::vector<int>(class_count, 0)) {}

void spawn_planner::assign(std::vector<int> users_per_class, double spawn_rate,
                           clock::time_point now, double phase) {
    users_per_class.resize(target_.size(), 0);
    target_ = std::move(users_per_class);
    // No master sends more than a million a second (the flag's bound); anything past it, or not
    // a number, would plan every user in one tick.
    rate_ = spawn_rate > 0 ? std::min(spawn_rate, max_spawn_rate) : 1.0;
    // The first user starts at once, as in Locust; a worker taking a later turn of the
    // cluster's ramp starts `phase` of a period later.
    allowance_ = 1.0 - (std::isfinite(phase) ? std::clamp(phase, 0.0, 0.999999) : 0.0);
    last_ = now;
}

std::vector<int> spawn_planner::users_per_class() const {
    std::vector<int> out(target_.size(), 0);
    for (const auto& per_thread : running_)
        for (std::size_t c = 0; c < out.size(); ++c) out[c] += per_thread[c];
    return out;
}

int spawn_planner::users() const {
    auto counts = users_per_class();
    return static_cast<int>(std::min<long long>(std::accumulate(counts.begin(), counts.end(), 0LL), INT_MAX));
}

bool spawn_planner::done() const { return users_per_class() == target_; }

void spawn_planner::clear() {
    for (auto& per_thread : running_) std::fill(per_thread.begin(), per_thread.end(), 0);
    std::fill(target_.begin(), target_.end(), 0);
}

// The class furthest below its target, relative to the target: keeps the mix right while
// ramping, so 10 % of the users started so far belong to a 10 % class.
int spawn_planner::next_class_to_start() const {
    const auto counts = users_per_class();
    int best = -1;
    double best_fill = 2.0;
    for (std::size_t c = 0; c < target_.size(); ++c) {
        if (counts[c] >= target_[c]) continue;
        const double fill = static_cast<double>(counts[c]) / target_[c];
        if (fill < best_fill) best_fill = fill, best = static_cast<int>(c);
    }
    return best;
}

int spawn_planner::next_class_to_end() const {
    const auto counts = users_per_class();
    int best = -1;
    int best_excess = 0;
    for (std::size_t c = 0; c < target_.size(); ++c) {
        if (counts[c] - target_[c] > best_excess) best_excess = counts[c] - target_[c], best = static_cast<int>(c);
    }
    return best;
}

int spawn_planner::least_loaded_thread() const {
    auto load = [](const std::vector<int>& v) { return std::accumulate(v.begin(), v.end(), 0); };
    return static_cast<int>(std::min_element(running_.begin(), running_.end(),
                                             [&](const auto& a, const auto& b) { return load(a) < load(b); }) -
                            running_.begin());
}

int spawn_planner::thread_with_most(int class_index) const {
    return static_cast<int>(std::max_element(running_.begin(), running_.end(),
                                             [&](const auto& a, const auto& b) {
                                                 return a[class_index] < b[class_index];
                                             }) -
                            running_.begin());
}

std::vector<spawn_action> spawn_planner::tick(clock::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    allowance_ += elapsed * rate_;  // a late tick catches up: the rate is users per second
    std::vector<spawn_action> actions;
    while (allowance_ >= 1.0) {
        if (int c = next_class_to_start(); c >= 0) {
            const int t = least_loaded_thread();
            ++running_[t][c];
            actions.push_back({spawn_action::kind::start, c, t});
        } else if (int e = next_class_to_end(); e >= 0) {
            const int t = thread_with_most(e);
            --running_[t][e];
            actions.push_back({spawn_action::kind::end, e, t});
        } else {
            allowance_ = std::min(allowance_, 1.0);  // nothing to do: do not bank a burst
            break;
        }
        allowance_ -= 1.0;
    }
    return actions;
}

}  // namespace stampede::worker
