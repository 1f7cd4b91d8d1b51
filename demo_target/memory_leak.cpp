#include "demo_target/memory_leak.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>

namespace stampede::demo {

namespace {
constexpr auto tick = std::chrono::milliseconds(100);
}

memory_leak::memory_leak(std::uint64_t bytes_per_second, std::uint64_t limit)
    : per_tick_(std::max<std::uint64_t>(bytes_per_second / 10, 1)), limit_(limit),
      thread_([this](std::stop_token stop) { run(stop); }) {}

memory_leak::~memory_leak() {
    thread_.request_stop();
    thread_.join();
}

// Each tick keeps `per_tick_` more bytes, written so that they are resident, not only reserved.
void memory_leak::run(std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any wake;
    auto next = std::chrono::steady_clock::now();
    while (!stop.stop_requested() && leaked() < limit_) {
        const auto size = static_cast<std::size_t>(std::min(per_tick_, limit_ - leaked()));
        auto block = std::make_unique<char[]>(size);
        std::memset(block.get(), 0x5a, size);
        kept_.push_back(std::move(block));
        leaked_.fetch_add(size, std::memory_order_relaxed);
        next += tick;
        std::unique_lock lock(m);
        wake.wait_until(lock, stop, next, [] { return false; });
    }
}

}  // namespace stampede::demo
