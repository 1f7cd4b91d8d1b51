#pragma once
// A schedule a person can take over while the run goes (the web UI's "change users"): it runs
// the planned schedule until steered, then holds the load it was given (each new one a stage
// of its own) for the rest of the run.
#include <memory>
#include <optional>
#include <string>

#include "master/load_schedule.hpp"

namespace stampede::master {

class steered_schedule : public load_schedule {
public:
    explicit steered_schedule(std::unique_ptr<load_schedule> planned);
    // From the next tick on: this load, not the plan's.
    void steer(std::vector<int> users_per_class, double spawn_rate, std::string name);
    // Before the start (a start from the web UI that re-planned the run): this plan instead.
    void replace_plan(std::unique_ptr<load_schedule> planned) { planned_ = std::move(planned); }
    bool steered() const { return steered_; }

    std::optional<load_level> tick(common::micros elapsed) override;
    void observe(const interval_counts& counts) override;
    std::size_t stage_count() const override { return planned_->stage_count(); }
    std::optional<breaking_point> found() const override;

private:
    std::unique_ptr<load_schedule> planned_;
    std::optional<load_level> pending_;
    bool steered_ = false;
    std::size_t stages_ = 0;  // targets handed out, the plan's and the steered ones
};

}  // namespace stampede::master
