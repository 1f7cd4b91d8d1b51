#pragma once
// When the master must speak to a worker, when it takes a silent one for lost, and which counts
// are still on their way: the rules that keep a worker's users from running twice and the live
// conditions from judging counts that have not arrived. Pure: the cluster applies them to its
// workers under its lock.
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/duration.hpp"
#include "master/worker_entry.hpp"

namespace stampede::master {

struct liveness_config {
    common::micros heartbeat_interval{std::chrono::seconds(1)};
    common::micros heartbeat_timeout{std::chrono::seconds(3)};
    common::micros snapshot_interval{std::chrono::seconds(1)};
};

// How often the heartbeat loop looks at the workers: each heartbeat interval, at least 4 times a second.
std::chrono::steady_clock::duration pacing_tick(const liveness_config& c);
// The longest a worker that stops its users after `master_timeout_ms` of silence may go without a
// word from the master.
std::chrono::steady_clock::duration quiet_limit_for(const liveness_config& c, std::uint32_t master_timeout_ms);
// How long a worker that said `master_timeout_ms` may be silent before it is taken for lost.
std::chrono::steady_clock::duration lost_after_for(const liveness_config& c, std::uint32_t master_timeout_ms);
// Whether waiting from `at` for one more tick could leave `w` longer than its quiet limit without a word.
bool speak_due(const liveness_config& c, const worker_entry& w, std::chrono::steady_clock::time_point at);

// The span of one worker's counts that should have arrived by `due` (the interval boundary this
// interval's snapshots were taken at) and have not, as of `now`; none when all it made is in.
using time_span = std::pair<wall_clock::time_point, wall_clock::time_point>;
std::optional<time_span> counts_in_flight(const worker_entry& w, wall_clock::time_point due, common::micros interval,
                                          wall_clock::time_point now);

}  // namespace stampede::master
