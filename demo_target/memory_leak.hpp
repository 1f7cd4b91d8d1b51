#pragma once
// A leak on purpose (`--leak 1MiB/s`): memory allocated and written at a steady rate, ten times
// a second, and kept until the process ends, up to a limit; so that a watch of the service's
// memory can be shown to catch a leak, and a steady service to pass.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace stampede::demo {

class memory_leak {
public:
    memory_leak(std::uint64_t bytes_per_second, std::uint64_t limit);
    ~memory_leak();  // the thread stops; what it kept is freed with this
    std::uint64_t leaked() const { return leaked_.load(std::memory_order_relaxed); }

private:
    void run(std::stop_token stop);

    std::uint64_t per_tick_;
    std::uint64_t limit_;
    std::atomic<std::uint64_t> leaked_{0};
    std::vector<std::unique_ptr<char[]>> kept_;  // the leaker thread's only
    std::jthread thread_;  // last: it starts once the rest is made
};

}  // namespace stampede::demo
