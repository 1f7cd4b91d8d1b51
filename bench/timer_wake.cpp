// How late a sleeping event loop wakes for a timer on this machine: the floor under the open
// model's start lag. One io_context on one thread waits N times for a steady_timer due every
// GAP microseconds, each due time fixed in advance, and prints how late each wait completed.
// Usage: stampede-bench-timer [WAITS=20000] [GAP_US=200]
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct probe {
    boost::asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    boost::asio::steady_timer timer{io};
    std::vector<long> late_us;
    std::size_t waits = 0;
    std::chrono::microseconds gap{0};
    clock_type::time_point due{};

    void wait_next() {
        due += gap;
        timer.expires_at(due);
        timer.async_wait([this](const boost::system::error_code&) {
            late_us.push_back(std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - due).count());
            if (late_us.size() < waits) wait_next();
        });
    }
};

long at(const std::vector<long>& sorted, double fraction) {
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(fraction * static_cast<double>(sorted.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    probe p;
    p.waits = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
    p.gap = std::chrono::microseconds(argc > 2 ? std::strtol(argv[2], nullptr, 10) : 200);
    if (p.waits == 0 || p.gap.count() <= 0) {
        std::fprintf(stderr, "usage: stampede-bench-timer [WAITS>0] [GAP_US>0]\n");
        return 2;
    }
    p.late_us.reserve(p.waits);
    p.due = clock_type::now();
    p.wait_next();
    p.io.run();
    std::sort(p.late_us.begin(), p.late_us.end());
    std::printf("%zu waits of %lld us: late by p50 %ld us, p90 %ld, p99 %ld, p99.9 %ld, max %ld\n", p.waits,
                static_cast<long long>(p.gap.count()), at(p.late_us, 0.5), at(p.late_us, 0.9), at(p.late_us, 0.99),
                at(p.late_us, 0.999), p.late_us.back());
    return 0;
}
