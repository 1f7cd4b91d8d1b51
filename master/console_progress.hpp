#pragma once
// The console while a run goes: a status line every status interval, and the events people
// watch for (all users spawned).
#include <chrono>
#include <ostream>

#include "master/run_observer.hpp"

namespace stampede::master {

class console_progress final : public run_observer {
public:
    // `show_workers`: add the number of workers to the status line (a master with remote ones).
    // `stage_count` above 1: the line shows the stage and its target users; 0 (stages decided
    // as the run goes): the step and its users.
    console_progress(std::ostream& out, common::micros status_interval, int target_users, bool show_workers,
                     std::size_t stage_count = 1);
    void on_interval(const run_result& result, const cluster_status& status) override;
    void on_event(const run_result& result, const run_event& event) override;
    void on_stopping(const std::string& why) override;

private:
    std::ostream& out_;
    common::micros status_interval_;
    int target_users_;
    bool show_workers_;
    std::size_t stage_count_;
    cluster_status last_status_seen_;  // as of the last interval: events of a tick come after it
    std::chrono::steady_clock::time_point last_status_ = std::chrono::steady_clock::now();
};

}  // namespace stampede::master
