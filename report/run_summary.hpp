#pragma once
// One run's figures as a comparison reads them, per endpoint and in total: from a Stampede
// JSON result, or from a `_stats.csv` (Locust's, or Stampede's, which keeps Locust's columns),
// so a team can hold a run against its old Locust baseline.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace stampede::report {

struct summary_row {
    std::string method, name;
    std::uint64_t requests = 0, failures = 0;
    // In milliseconds, and requests per second; none where the source has none ("N/A").
    std::optional<double> rps, avg_ms, p50_ms, p95_ms, p99_ms;
    double error_rate() const { return requests ? static_cast<double>(failures) / static_cast<double>(requests) : 0; }
};

// A watched series of the service over a run (a Stampede result's `watch`): what a comparison
// holds side by side.
struct service_summary {
    std::string name, unit;
    std::optional<double> avg, max, last, slope_per_s;  // none: no reading
};

struct run_summary {
    std::string path;
    std::string source;  // "Stampede result" or "stats CSV, Locust's columns"
    std::string started;  // when the run started, where the source says (a Stampede result)
    summary_row total;
    std::vector<summary_row> endpoints;
    std::vector<service_summary> service;  // a Stampede result's watched series; a CSV has none
};

// Result files past this are refused, as a baseline's are.
inline constexpr std::size_t max_summary_bytes = std::size_t{256} << 20;

// The file's figures, or why it is neither kind of file (naming it).
common::result<run_summary> read_run_summary(const std::string& path);
// The same from text already read; `path` only names it.
common::result<run_summary> parse_run_summary(const std::string& text, const std::string& path);

}  // namespace stampede::report
