#include "worker/process_usage.hpp"

#include <sys/resource.h>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace stampede::worker {

namespace {

// utime + stime of /proc/self/stat (fields 14 and 15), in seconds.
double cpu_seconds() {
    std::ifstream in("/proc/self/stat");
    std::string text;
    std::getline(in, text);
    const auto close_paren = text.rfind(')');  // the command name may hold spaces
    if (close_paren == std::string::npos) return 0;
    std::istringstream fields(text.substr(close_paren + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

process_usage::process_usage() : last_cpu_seconds_(cpu_seconds()), last_at_(std::chrono::steady_clock::now()) {}

double process_usage::cpu_percent() {
    const double cpu = cpu_seconds();
    const auto now = std::chrono::steady_clock::now();
    const double wall = std::chrono::duration<double>(now - last_at_).count();
    // Clock ticks are 10 ms: a shorter span says nothing, so keep the last figure.
    if (wall < 0.5) return last_percent_;
    last_percent_ = 100.0 * (cpu - last_cpu_seconds_) / wall;
    last_cpu_seconds_ = cpu;
    last_at_ = now;
    return last_percent_;
}

std::uint64_t process_usage::raise_open_files_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t process_usage::rss_bytes() {
    std::ifstream in("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    in >> size >> resident;
    return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace stampede::worker
