#pragma once
// The complete result as JSON: everything the console shows plus the encoded histograms,
// so later tools can re-render and compare a run without its raw samples.
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/run_result.hpp"

namespace stampede::report {

// The whole result as one document.
nlohmann::json result_document(const run_result& result);
std::string result_to_json(const run_result& result);  // the document, as written
// The document's figures the web API polls (totals, endpoints, errors, thresholds), without
// histograms, and without building the rest (history, timeline) it would not send.
nlohmann::json figures_document(const run_result& result);
common::status write_json_file(const run_result& result, const std::string& path);
common::status write_json_file(const nlohmann::json& document, const std::string& path);

}  // namespace stampede::report
