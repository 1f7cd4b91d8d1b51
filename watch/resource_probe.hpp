#pragma once
// CPU, memory and I/O of what serves the load, as the kernel counts them, read on the master's
// machine: a process (by pid, by the pid in a file, or by name) from /proc, or a cgroup (a
// container's, a systemd unit's, any path) from the cgroup filesystem, v2 or v1, as `docker
// stats` and `podman stats` read them. A probe reads totals; what a run shows (CPU as a share
// of a core, memory, bytes a second) is the change between two readings.
#include <filesystem>
#include <optional>
#include <string>

#include "common/result.hpp"

namespace stampede::watch {

struct resource_reading {
    std::optional<double> cpu_seconds;     // user and system time, since it began
    std::optional<double> memory_bytes;    // resident (a process), or charged to it (a cgroup)
    std::optional<double> io_read_bytes;   // a cgroup's block I/O, summed over its devices
    std::optional<double> io_write_bytes;
};

// Which process: exactly one of these.
struct process_target {
    int pid = 0;
    std::string pid_file;
    std::string name;  // its command name (/proc/PID/comm) or its program's file name
};

// The process `target` names now; why none (no such process, a pid file that holds no pid).
common::result<int> find_process(const process_target& target, const std::filesystem::path& proc = "/proc");
// Its totals; why not (it has exited).
common::result<resource_reading> read_process(int pid, const std::filesystem::path& proc = "/proc");

// A cgroup's totals: `path` absolute, or relative to the cgroup filesystem's root, where it is
// looked for in the v2 hierarchy and in v1's cpuacct, memory and blkio controllers. What a
// hierarchy does not count is left out; why none (no cgroup there).
common::result<resource_reading> read_cgroup(const std::string& path,
                                             const std::filesystem::path& root = "/sys/fs/cgroup");

}  // namespace stampede::watch
