#pragma once
// Two runs side by side (`stampede compare`): per endpoint and in total, requests/s, error
// rate, average, p50, p95 and p99, each with its change, and whether it regressed past the
// bounds given; endpoints only one run has are listed apart; the service's watched series both
// runs read, side by side.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/run_summary.hpp"

namespace stampede::report {

enum class compared_metric { rps, error_rate, avg, p50, p95, p99 };
std::string_view label_of(compared_metric m);

// Past these a change is a regression; with neither given, nothing is judged.
struct regression_bounds {
    std::optional<double> max_regression_pct;  // latencies up, or requests/s down, by more than this
    std::optional<double> max_error_increase_pts;  // the error rate up by more than these percentage points
    bool judged() const { return max_regression_pct || max_error_increase_pts; }
};

struct metric_change {
    compared_metric metric = compared_metric::rps;
    std::optional<double> base, current;  // ms, requests/s, or a fraction (error rate)
    // Relative (0.1: 10 % more) for rates and latencies; in percentage points for the error
    // rate. None when a side has no figure (or the base is 0 for a relative change).
    std::optional<double> change;
    bool regressed = false;
};

struct row_comparison {
    std::string method, name;
    std::uint64_t base_requests = 0, current_requests = 0;
    std::vector<metric_change> metrics;
    bool regressed() const;
};

// A watched series in both runs, side by side: its average, highest, last reading and trend.
// Shown, not judged: what is worse for a service's own figure is the reader's to say.
struct service_comparison {
    std::string name, unit;
    service_summary base, current;
};

struct comparison {
    run_summary base, current;
    regression_bounds bounds;
    row_comparison total;
    std::vector<row_comparison> endpoints;       // in both, in the current run's order
    std::vector<summary_row> only_base, only_current;
    std::vector<service_comparison> service;  // series both runs watched, in the current run's order
    bool regressed() const;
};

comparison compare_runs(run_summary base, run_summary current, const regression_bounds& bounds);
void print_comparison(std::ostream& out, const comparison& c);
nlohmann::json comparison_json(const comparison& c);

}  // namespace stampede::report
