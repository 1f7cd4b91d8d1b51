#pragma once
// Something the master reads of the service at each of the watch's moments: a Prometheus
// endpoint, a process or a cgroup. Each source names its series once; a reading gives a value
// for each, in that order, or none where there was nothing to read (the first reading of a rate,
// a series the service did not report). A source that could not be read at all says why; its
// values are then all none, and the run goes on.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace stampede::watch {

// A series as the result names it: `active`, `opscore.memory`; and its unit ("s", "B", "B/s",
// "/s", "cores", "ratio", or "" for a plain number).
struct series_info {
    std::string name;
    std::string unit;
};

struct source_reading {
    std::vector<std::optional<double>> values;  // one per series, in series()'s order
    std::optional<std::string> failure;         // why nothing could be read, in one line
    std::vector<std::string> notes;             // what a person should know of this reading (said once)
};

class watched_source {
public:
    virtual ~watched_source() = default;
    // What it is, for events and the report: "http://127.0.0.1:8080/metrics", "process opscore".
    virtual const std::string& label() const = 0;
    virtual const std::vector<series_info>& series() const = 0;
    // Whether a read may wait (on the network, on another program) rather than read this
    // machine's files at once: such a source is read on a thread of its own.
    virtual bool may_wait() const { return false; }
    // Reads it now; rates are over the time since the last reading that answered.
    virtual source_reading read(std::chrono::steady_clock::time_point now) = 0;
};

}  // namespace stampede::watch
