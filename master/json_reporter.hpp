#pragma once
// The complete result as JSON: everything the console shows plus the encoded histograms,
// so later tools can re-render and compare a run without its raw samples.
#include <string>

#include "master/run_result.hpp"

namespace stampede::master {

std::string result_to_json(const run_result& result);
// Returns "" or the reason the file could not be written.
std::string write_json_file(const run_result& result, const std::string& path);

}  // namespace stampede::master
