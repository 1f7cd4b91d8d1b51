#pragma once
// A load schedule that finds the highest load meeting its conditions (the scenario's
// `capacity_search`): it climbs from `start` (times `multiply`, or plus `add`) to `max`, one
// step per load; once a step misses, it halves the gap between the last load that met the
// conditions and the first that missed until they are within the precision; then it holds
// the found load once more to confirm it. Each step is judged over its own requests, every
// worker's merged, after its settle time, so a step's verdict is not blurred by the last.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "conditions/condition_scope.hpp"
#include "master/load_schedule.hpp"

namespace stampede::master {

class capacity_search : public load_schedule {
public:
    // `split`: a load of N users as users per class; `interval`: the run loop's, the most
    // the counts of a step's start can arrive late, so each step's judgement leaves out its
    // first interval as well as its settle time.
    capacity_search(lang::capacity_search_spec spec, std::function<std::vector<int>(int)> split,
                    std::vector<lang::check_info> checks, std::vector<std::string> classes,
                    common::micros interval = std::chrono::seconds(1));

    std::optional<load_level> tick(common::micros elapsed) override;
    void observe(const interval_counts& interval) override;
    std::size_t stage_count() const override { return 0; }
    std::optional<breaking_point> found() const override;

private:
    enum class phase { idle, climbing, narrowing, confirming, done };
    struct step_verdict {
        bool met = false;
        std::string missed, measured;  // the conditions that did not hold, and their values
        double rps = 0;
    };
    load_level begin_step(int users, common::micros elapsed, std::string previous_outcome, std::string name);
    load_level end(std::string previous_outcome);
    step_verdict judge_step() const;
    std::optional<load_level> after_climb(const step_verdict& v, common::micros elapsed);
    std::optional<load_level> after_narrowing(common::micros elapsed, std::string outcome);
    int next_climb() const;
    int precision() const;

    lang::capacity_search_spec spec_;
    std::function<std::vector<int>(int)> split_;
    std::vector<lang::check_info> checks_;
    std::vector<std::string> classes_;
    common::micros interval_;
    phase phase_ = phase::idle;
    int users_ = 0;
    std::size_t steps_ = 0;
    common::micros step_started_{0}, step_length_{0};
    std::vector<conditions::scope_figures> figures_;  // per condition: the current step's judged requests
    stats::endpoint_stats judged_;        // every endpoint: for the step's rate
    double judged_seconds_ = 0;
    std::optional<int> good_, bad_;
    double good_rps_ = 0;
    std::string bad_condition_, bad_measured_;
    double bad_at_s_ = 0;
    std::optional<bool> confirmed_;
};

}  // namespace stampede::master
