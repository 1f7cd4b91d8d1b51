#pragma once
// Whether a worker's hello may join the run, and what it says of the worker: its protocol and
// token checked, its name, machine and threads bounded, its own master timeout turned into the
// master's limits for it. Pure but for the log: the cluster applies it under its lock.
#include <cstdint>
#include <string>

#include "common/result.hpp"
#include "master/worker_entry.hpp"
#include "master/worker_liveness.hpp"
#include "proto/messages.hpp"

namespace stampede::master {

// The most threads a worker's hello may announce (as `--threads` allows): users are spread
// by threads.
inline constexpr std::uint32_t max_worker_threads = 1024;
// What a worker says of itself goes into logs and the result: bounded, whatever it sends.
inline constexpr std::size_t max_name_bytes = 256;
inline constexpr std::size_t max_reason_bytes = 8192;  // a loader's report of several problems fits

struct admission_rules {
    const std::string& token;  // empty: none required
    bool run_ended = false;
};

// Whether `hello`, from `peer`, may join: its protocol, its token (compared in constant time),
// the run still open, its id. Warns of a token the master does not check and of another version.
common::status admissible(const wire::hello& hello, const std::string& peer, const admission_rules& rules);

// Takes what a hello says into the worker's record: name, machine, threads (bounded), and the
// quiet and lost limits its master timeout implies.
void enter_hello(worker_entry& w, const wire::hello& hello, const liveness_config& liveness);

}  // namespace stampede::master
