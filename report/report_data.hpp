#pragma once
// What the HTML report (and the web UI after it) draws, made from the JSON result: the result
// as written, less what a page cannot use (the encoded histograms become response-time
// distributions) and bounded (the endpoints with series over time, the error rows), each cut
// saying how much it left out. The page reads nothing else.
#include <cstddef>

#include <nlohmann/json.hpp>

#include "common/result.hpp"

namespace stampede::report {

struct report_limits {
    std::size_t endpoints_over_time = 30;  // the busiest endpoints keep their series
    std::size_t error_rows = 200;
    std::size_t watched_series = 24;       // the service's series drawn, in the watch section's order
    int bins_per_decade = 20;              // the distribution's resolution
};

// Why the document is not a Stampede result, when it is not.
common::result<nlohmann::json> make_report_data(const nlohmann::json& result, const report_limits& limits = {});

}  // namespace stampede::report
