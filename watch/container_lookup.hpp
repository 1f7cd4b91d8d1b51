#pragma once
// A container found by its name or id, as podman or docker knows it: its main process, asked of
// the runtime (`inspect`, run directly with no shell, the name after `--` so it is never taken
// for an option, bounded in time and output), and from that
// process its cgroup, which is the container's: what `podman stats` and `docker stats` read.
#include <string>

#include "common/duration.hpp"
#include "common/result.hpp"

namespace stampede::watch {

// The container's main process; why none (no runtime installed, no such container, not running).
// The runtimes are tried in order: podman, then docker.
common::result<int> container_pid(const std::string& container, common::micros timeout = std::chrono::seconds(5));

// The cgroup of process `pid`, as /proc/PID/cgroup writes it: the v2 path, or on a hybrid host
// whose v2 path is the root, the memory controller's; why none.
common::result<std::string> process_cgroup(int pid, const std::string& proc = "/proc");

}  // namespace stampede::watch
