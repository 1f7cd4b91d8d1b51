#pragma once
// What of a worker's counts may be missing from the result, and why: the reasoning that
// turns a worker's record at the end of a run into a data gap, or none.
#include <optional>

#include "common/duration.hpp"
#include "master/result_model.hpp"
#include "master/worker_entry.hpp"

namespace stampede::master {

// None when everything the worker counted arrived. A lost worker's gap spans from the end of what
// its last applied snapshot covers to when it stopped its users by its own master timeout,
// counted from the last word the master sent it (past the run's end, when that came later): it
// loaded the target all that time. `snapshot_interval` turns its last snapshot into a rate.
std::optional<data_gap> data_gap_of(const worker_entry& w, wall_clock::time_point start, wall_clock::time_point end,
                                    common::micros snapshot_interval);

}  // namespace stampede::master
