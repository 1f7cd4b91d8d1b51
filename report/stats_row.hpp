#pragma once
// One row of statistics as every reporter shows it (console, CSV, JSON): times in
// milliseconds, rates per second over the span the stats cover.
#include <array>
#include <string>

#include "stats/endpoint_stats.hpp"

namespace stampede::report {

// The percentiles Locust reports, in the same order.
inline constexpr std::array<double, 11> reported_percentiles = {50, 66,   75,    80, 90, 95,
                                                                98, 99, 99.9, 99.99, 100};
// "50%", "99.9%", "99.99%": Locust's column labels.
std::string percentile_label(double p);

// "[HOST] NAME" for an endpoint on a named host, its plain name on the default host: what a
// Locust-format table, with no host column, shows, so that rows stay one per endpoint.
std::string qualify_name(const std::string& name, const std::string& host);
bool is_default_host(const std::string& host);

struct stats_row {
    std::string method;  // empty for the Aggregated row
    std::string name;
    std::string host;    // the scenario's name of the host it went to; empty for the Aggregated row
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    double avg_ms = 0, min_ms = 0, max_ms = 0, median_ms = 0;
    double avg_bytes = 0;
    double rps = 0, fps = 0;
    std::array<double, reported_percentiles.size()> percentiles_ms{};

    // One of reported_percentiles, by its value: percentile_ms(95).
    double percentile_ms(double p) const;
    // The name where one column must tell hosts apart (Locust's CSV, comparisons).
    std::string qualified_name() const { return qualify_name(name, host); }
};

stats_row make_row(const std::string& method, const std::string& name,
                   const stats::endpoint_stats& stats, double seconds);

inline double to_ms(std::uint64_t us) { return static_cast<double>(us) / 1000.0; }

}  // namespace stampede::report
