#pragma once
// The command line's additions to a scenario's `watch:` (the master's own settings, as the
// hosts' URLs are the command line's): its interval, processes, cgroups and containers added or replaced by
// name, and series added to the first Prometheus endpoint (one on the default host's /metrics
// when the file names none), so a run can watch what only this machine knows (a container's
// cgroup, a pid) without editing the scenario.
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "scenario/watch_spec.hpp"

namespace stampede::lang {

struct watch_overrides {
    std::optional<common::micros> interval;  // --watch-interval
    std::vector<std::string> processes;      // --watch-process NAME=PROCESS, NAME=pid:N or NAME=pid-file:PATH
    std::vector<std::string> cgroups;        // --watch-cgroup NAME=PATH
    std::vector<std::string> containers;     // --watch-container NAME=CONTAINER
    std::vector<std::string> series;         // --watch-series NAME=SELECTOR

    bool empty() const { return !interval && processes.empty() && cgroups.empty() && containers.empty() && series.empty(); }
};

// `spec` with the overrides applied; why not, naming the flag and the value.
common::status apply_watch_overrides(watch_spec& spec, const watch_overrides& overrides);

}  // namespace stampede::lang
