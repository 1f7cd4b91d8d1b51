#pragma once
// What the demo target says of itself on GET /metrics, in Prometheus's text format, as the
// services Stampede's users run do: requests by route, requests in flight, response time by
// route as a histogram, a simulated cache whose hit ratio a flag sets, its own resident memory
// and CPU, and what it leaked on purpose; and for its modular.solve route, the names the modular
// service itself uses (active executions, request duration), so a scenario that watches that
// service runs unchanged against the demo. Counted with atomics off any lock: the /ok fast path
// pays one increment more.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "demo_target/demo_route.hpp"

namespace stampede::demo {

class service_metrics {
public:
    // `cache_hit_ratio`: the share of cache lookups (one per request served) that hit, in [0, 1].
    explicit service_metrics(double cache_hit_ratio) : hit_ratio_(cache_hit_ratio) {}

    // A request on `r`, answered `response_time` after it came.
    void observe(route r, std::chrono::microseconds response_time);
    // What is being answered now: every request, and the modular.solve executions among them.
    struct in_flight_now {
        int requests = 0, solves = 0;
    };
    // The exposition; `served` by route, as the service counts it.
    std::string render(const std::array<std::atomic<std::uint64_t>, route_count>& served, in_flight_now in_flight,
                       std::uint64_t leaked_bytes) const;

    // The response time histogram's upper bounds, in seconds (+Inf past the last).
    static constexpr std::array<double, 10> bounds_s = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

private:
    void render_histogram(std::string& out, const std::string& name, const std::string& label, std::size_t route_index) const;

    using counts = std::array<std::atomic<std::uint64_t>, bounds_s.size() + 1>;  // per bucket, not cumulative
    std::array<counts, route_count> buckets_{};
    std::array<std::atomic<std::uint64_t>, route_count> sum_us_{};
    std::atomic<std::uint64_t> lookups_{0};
    double hit_ratio_;
};

}  // namespace stampede::demo
