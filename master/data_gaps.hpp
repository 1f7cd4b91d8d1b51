#pragma once
// What of a worker's counts may be missing from the result, and why: the reasoning that
// turns a worker's record at the end of a run into a data gap, or none.
#include <optional>

#include "common/duration.hpp"
#include "master/run_result.hpp"
#include "master/worker_entry.hpp"

namespace stampede::master {

// None when everything the worker counted arrived. `snapshot_interval` estimates what a lost
// worker took with it; `heartbeat_timeout` is how long it was silent before it was lost.
std::optional<data_gap> data_gap_of(const worker_entry& w, wall_clock::time_point start,
                                    common::micros snapshot_interval, common::micros heartbeat_timeout);

}  // namespace stampede::master
