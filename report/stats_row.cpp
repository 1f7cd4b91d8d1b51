#include "report/stats_row.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "scenario/host_spec.hpp"

namespace stampede::report {

std::string percentile_label(double p) {
    std::ostringstream out;
    out << p << "%";
    return out.str();
}

bool is_default_host(const std::string& host) { return host.empty() || host == lang::default_host_name; }

std::string qualify_name(const std::string& name, const std::string& host) {
    return is_default_host(host) ? name : "[" + host + "] " + name;
}

double stats_row::percentile_ms(double p) const {
    for (std::size_t i = 0; i < reported_percentiles.size(); ++i)
        if (reported_percentiles[i] == p) return percentiles_ms[i];
    throw std::invalid_argument("not a reported percentile: " + std::to_string(p));
}

stats_row make_row(const std::string& method, const std::string& name,
                   const stats::endpoint_stats& stats, double seconds) {
    stats_row row;
    row.method = method;
    row.name = name;
    row.requests = stats.requests;
    row.failures = stats.failures;
    const auto& h = stats.latency;
    if (h.count() > 0) {
        row.avg_ms = h.mean() / 1000.0;
        row.min_ms = to_ms(h.min());
        row.max_ms = to_ms(h.max());
        row.median_ms = to_ms(h.percentile(50));
        for (std::size_t i = 0; i < reported_percentiles.size(); ++i)
            row.percentiles_ms[i] = to_ms(h.percentile(reported_percentiles[i]));
    }
    if (stats.requests > 0) row.avg_bytes = static_cast<double>(stats.bytes) / static_cast<double>(stats.requests);
    if (seconds > 0) {
        row.rps = static_cast<double>(stats.requests) / seconds;
        row.fps = static_cast<double>(stats.failures) / seconds;
    }
    return row;
}

}  // namespace stampede::report
