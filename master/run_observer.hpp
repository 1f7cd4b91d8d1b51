#pragma once
// What watches a run as it goes: the console's status line today; the HTML report, the web UI
// and /metrics next. The run loop calls every observer on its own thread, after each interval's
// stats are merged, for each event, and once at the end; an observer only reads.
#include "master/cluster.hpp"
#include "master/result_model.hpp"

namespace stampede::master {

class run_observer {
public:
    virtual ~run_observer() = default;
    // After an interval: `result` holds the totals and history so far.
    virtual void on_interval(const run_result& result, const cluster_status& status) {}
    // An event of the run (also appended to result.events).
    virtual void on_event(const run_result& result, const run_event& event) {}
    // The run is stopping before its time, and why ("SIGINT received").
    virtual void on_stopping(const std::string& why) {}
    // The run is over and its result complete.
    virtual void on_finish(const run_result& result) {}
};

}  // namespace stampede::master
