#include "demo_target/service_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <charconv>
#include <fstream>

namespace stampede::demo {

namespace {

// The shortest text that reads back as `v`: 0.025, not 0.025000000000000001.
std::string number(double v) {
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, v);
    return std::string(text, ec == std::errc() ? end : text);
}

void family(std::string& out, const char* name, const char* type, const char* help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

double resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    double pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

void service_metrics::observe(route r, std::chrono::microseconds response_time) {
    const auto i = static_cast<std::size_t>(r);
    const double seconds = static_cast<double>(response_time.count()) / 1e6;
    std::size_t bucket = 0;
    while (bucket < bounds_s.size() && seconds > bounds_s[bucket]) ++bucket;
    buckets_[i][bucket].fetch_add(1, std::memory_order_relaxed);
    sum_us_[i].fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, response_time.count())), std::memory_order_relaxed);
    lookups_.fetch_add(1, std::memory_order_relaxed);
}

void service_metrics::render_histogram(std::string& out, const std::string& name, const std::string& label,
                                       std::size_t r) const {
    const std::string labels = label.empty() ? "" : label + ",";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= bounds_s.size(); ++b) {
        cumulative += buckets_[r][b].load(std::memory_order_relaxed);
        const std::string le = b < bounds_s.size() ? number(bounds_s[b]) : "+Inf";
        out.append(name).append("_bucket{").append(labels).append("le=\"").append(le).append("\"} ")
            .append(std::to_string(cumulative)).append("\n");
    }
    const std::string braced = label.empty() ? "" : "{" + label + "}";
    out.append(name).append("_sum").append(braced).append(" ")
        .append(number(static_cast<double>(sum_us_[r].load(std::memory_order_relaxed)) / 1e6)).append("\n");
    out.append(name).append("_count").append(braced).append(" ").append(std::to_string(cumulative)).append("\n");
}

std::string service_metrics::render(const std::array<std::atomic<std::uint64_t>, route_count>& served, in_flight_now in_flight,
                                    std::uint64_t leaked_bytes) const {
    std::string out;
    family(out, "demo_requests_total", "counter", "Requests answered, by route.");
    for (std::size_t r = 0; r < route_count; ++r)
        out.append("demo_requests_total{route=\"").append(route_name(static_cast<route>(r))).append("\"} ")
            .append(std::to_string(served[r].load(std::memory_order_relaxed))).append("\n");
    family(out, "demo_requests_in_flight", "gauge", "Requests being answered now.");
    out.append("demo_requests_in_flight ").append(std::to_string(in_flight.requests)).append("\n");
    family(out, "demo_response_seconds", "histogram", "Time from a request to its answer, by route.");
    for (std::size_t r = 0; r < route_count; ++r)
        render_histogram(out, "demo_response_seconds", std::string("route=\"").append(route_name(static_cast<route>(r))).append("\""), r);
    // The modular service's own names for its solves.
    const auto solve = static_cast<std::size_t>(route::jsonrpc);
    family(out, "modular_active_executions", "gauge", "modular.solve executions in progress.");
    out.append("modular_active_executions ").append(std::to_string(in_flight.solves)).append("\n");
    family(out, "modular_requests_total", "counter", "modular.solve requests answered.");
    out.append("modular_requests_total ").append(std::to_string(served[solve].load(std::memory_order_relaxed))).append("\n");
    family(out, "modular_request_duration_seconds", "histogram", "Time from a modular.solve request to its answer.");
    render_histogram(out, "modular_request_duration_seconds", "", solve);
    // The cache: exactly the set share of lookups hit (rounded down), so a test can expect it.
    const auto lookups = lookups_.load(std::memory_order_relaxed);
    const auto hits = static_cast<std::uint64_t>(std::floor(static_cast<double>(lookups) * hit_ratio_));
    family(out, "demo_cache_hits_total", "counter", "Lookups the simulated cache answered.");
    out.append("demo_cache_hits_total ").append(std::to_string(hits)).append("\n");
    family(out, "demo_cache_misses_total", "counter", "Lookups the simulated cache missed.");
    out.append("demo_cache_misses_total ").append(std::to_string(lookups - hits)).append("\n");
    family(out, "demo_leaked_bytes", "gauge", "Memory kept on purpose (--leak).");
    out.append("demo_leaked_bytes ").append(std::to_string(leaked_bytes)).append("\n");
    family(out, "process_resident_memory_bytes", "gauge", "Resident memory of this process.");
    out.append("process_resident_memory_bytes ").append(number(resident_bytes())).append("\n");
    family(out, "process_cpu_seconds_total", "counter", "User and system CPU time of this process.");
    out.append("process_cpu_seconds_total ").append(number(cpu_seconds())).append("\n");
    return out;
}

}  // namespace stampede::demo
