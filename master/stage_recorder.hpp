#pragma once
// The stages of a run as they ran, kept in the result: each entered with its target, then
// what its own requests did (every endpoint together, from the merged intervals it ran,
// leaving out its first interval, which still holds the last stage's late counts, and its
// settle time when it has one), closed when the next begins. The per-stage
// table of staircases, stop conditions and capacity searches, and the last load that held
// before a breaking point.
#include "master/load_schedule.hpp"
#include "master/result_model.hpp"

namespace stampede::master {

class stage_recorder {
public:
    // `interval`: the run loop's, the most a worker's counts arrive late.
    stage_recorder(run_result& result, common::micros interval) : result_(result), interval_(interval) {}

    // A stage begins `at_s` since the start (the one before it closes there).
    void begin(const load_level& target, double at_s);
    // An interval's requests, every endpoint together, `seconds` long, that began `began_s`
    // since the start: the current stage's, once it has settled.
    void add(const stats::endpoint_stats& interval, double seconds, double began_s);
    // Requests that arrived after their interval was added (a worker's resend after it was cut
    // off), from an interval that began `began_s` since the start: the stage that ran then takes
    // them (a stage already closed, its counts and rate; its percentiles stay as they were).
    void place_late(const stats::endpoint_stats& requests, double began_s);
    // The current stage ends `at_s` since the start: its figures are final; with stop
    // conditions and no other outcome, it held.
    void close(double at_s);
    // A breaking point from stop conditions: the last lower stage that held, and its rate.
    void find_last_good();

private:
    run_result& result_;
    common::micros interval_;
    stats::endpoint_stats requests_;  // the current stage's, once settled
    double seconds_ = 0;              // ... and the intervals they came in
    double settled_at_s_ = 0;         // intervals that began before this are left out
};

}  // namespace stampede::master
