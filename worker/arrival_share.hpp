#pragma once
// A worker's part of the cluster's open-model arrivals, as the master assigns it: each load
// thread of the cluster takes one equal part of every open class's rate, so the parts add up
// to the plan's rate exactly; this worker's threads are parts first_thread ..
// first_thread + threads - 1 of total_threads.
#include <cstdint>

#include "common/duration.hpp"

namespace stampede::worker {

struct arrival_share {
    std::uint32_t first_thread = 0;
    std::uint32_t total_threads = 0;  // 0: no arrivals
    common::micros elapsed{0};        // how far into the arrival stages the run was when assigned
    bool operator==(const arrival_share&) const = default;
};

}  // namespace stampede::worker
