#pragma once
// A scenario's `watch:` made into the sources the master reads: each Prometheus endpoint with its
// URL (its own, or a path on one of the scenario's hosts as the run resolved them, so `-H` moves
// it) and, for https, a TLS context from the settings of that host (the default host's for a
// URL of its own); each process, cgroup and container, found before the run starts, since a run that names
// what is not there is a mistake to say at once, not a gap to find in the report.
#include <memory>
#include <vector>

#include "common/result.hpp"
#include "scenario/host_spec.hpp"
#include "scenario/watch_spec.hpp"
#include "watch/watched_source.hpp"

namespace stampede::master {

common::result<std::vector<std::unique_ptr<watch::watched_source>>> make_watch_sources(
    const lang::watch_spec& spec, const std::vector<lang::host_spec>& hosts);

}  // namespace stampede::master
