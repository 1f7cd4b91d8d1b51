#pragma once
// `stampede run` is a master and its workers in one process: this composes the two halves,
// starting real worker agents on the master's in-process channel. It sits above both
// libraries, so the master does not depend on the worker.
#include "master/run_controller.hpp"

namespace stampede::cli {

// `count` agents named local-1..N, `threads` each (0: the cores divided among them).
master::local_workers_factory local_worker_agents(int count, int threads, const std::string& token);

}  // namespace stampede::cli
