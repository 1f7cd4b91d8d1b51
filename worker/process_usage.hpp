#pragma once
// CPU and memory of this process, from /proc, for heartbeats.
#include <chrono>
#include <cstdint>

namespace stampede::worker {

class process_usage {
public:
    process_usage();
    // CPU used since the previous call, in percent of one core.
    double cpu_percent();
    static std::uint64_t rss_bytes();
    // Raises this process's open-files limit to its hard limit (each user holds a socket);
    // returns the limit now in force.
    static std::uint64_t raise_open_files_limit();

private:
    double last_cpu_seconds_;
    double last_percent_ = 0;
    std::chrono::steady_clock::time_point last_at_;
};

}  // namespace stampede::worker
