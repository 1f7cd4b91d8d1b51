#pragma once
// A previous run's result, read back from the JSON it wrote (--baseline), so that thresholds
// can say "p95 below 3x the baseline's": its totals, its endpoints by name with their exact
// histograms, its check tallies and its length.
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "scenario/scenario.hpp"
#include "stats/endpoint_stats.hpp"

namespace stampede::report {

// Result files larger than this are refused (a result of thousands of endpoints is a few MB).
inline constexpr std::size_t max_baseline_bytes = std::size_t{256} << 20;

struct baseline_checks {
    lang::endpoint endpoint;
    std::uint64_t passed = 0, failed = 0;
};

struct baseline {
    std::string path;
    double duration_s = 0;
    stats::endpoint_stats totals;
    std::vector<std::pair<lang::endpoint, stats::endpoint_stats>> endpoints;
    std::vector<baseline_checks> checks;
};

// The file, or why it cannot serve as a baseline, naming the flag and the file.
common::result<baseline> read_baseline(const std::string& path);
// The result JSON's text as a baseline (what read_baseline reads).
common::result<baseline> parse_baseline(const std::string& text, const std::string& path);

}  // namespace stampede::report
