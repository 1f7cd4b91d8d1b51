#pragma once
// What load the cluster should apply, tick by tick: users per class and the spawn rate. A
// schedule is fixed ahead (`staged_schedule`: the plan's one stage, or a shape's stages) or
// decides its next stage from what the last one did (`capacity_search`). The run loop shows
// it each interval's merged counts, then ticks it.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "master/result_model.hpp"

namespace stampede::master {

struct load_level {
    std::vector<int> users_per_class;
    double spawn_rate = 1;
    std::size_t stage = 0;         // the stages' count so far, from 0
    std::string name;              // empty: "stage N"
    std::string previous_outcome;  // for the stage this one ends ("met", "missed"); empty: none
    bool end = false;              // no new stage: the schedule is done, and so is the run
    common::micros settle{0};      // the stage's figures leave out its first intervals, this long
    bool operator==(const load_level&) const = default;
};

// One interval's merged counts, as the run loop took them.
struct interval_counts {
    const stats::stats_delta& delta;
    const stats::endpoint_stats& every_endpoint;  // its endpoints merged
    double seconds = 0;                           // its length
    double elapsed_s = 0;                         // since the start, at its end
};

class load_schedule {
public:
    virtual ~load_schedule() = default;
    // The target at `elapsed` since the start, when it differs from the last one returned.
    virtual std::optional<load_level> tick(common::micros elapsed) = 0;
    // The interval just merged, before the tick that follows it.
    virtual void observe(const interval_counts&) {}
    // Stages planned ahead; 0 when the schedule decides them as it goes.
    virtual std::size_t stage_count() const = 0;
    // What a schedule that searched found, once done.
    virtual std::optional<breaking_point> found() const { return std::nullopt; }
};

// A stage as a fixed schedule runs it: entered at `starts_at` since the run's start.
struct scheduled_stage {
    std::vector<int> users_per_class;
    double spawn_rate = 1;
    common::micros starts_at{0};
};

class staged_schedule : public load_schedule {
public:
    // One stage for the whole run.
    staged_schedule(std::vector<int> users_per_class, double spawn_rate);
    // Stages in order; their starts must not decrease.
    explicit staged_schedule(std::vector<scheduled_stage> stages);

    std::optional<load_level> tick(common::micros elapsed) override;
    std::size_t stage_count() const override { return stages_.size(); }

private:
    std::vector<scheduled_stage> stages_;
    std::optional<std::size_t> applied_;
};

}  // namespace stampede::master
