#pragma once
// A histogram as the JSON result holds it: `{"unit": "us", "encoding":
// "stampede-sparse-v1+base64", "data": ...}`, written by the JSON reporter and read back whole
// by the baseline and the HTML report.
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "stats/histogram.hpp"

namespace stampede::report {

nlohmann::json histogram_to_json(const stats::histogram& h);
// The histogram, or why the object is not one (the caller adds where it was).
common::result<stats::histogram> histogram_from_json(const nlohmann::json& j);

}  // namespace stampede::report
