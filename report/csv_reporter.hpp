#pragma once
// Locust-compatible CSV files: PREFIX_stats.csv, PREFIX_stats_history.csv,
// PREFIX_failures.csv, PREFIX_exceptions.csv, with Locust 2.x's headers and row meaning.
#include <string>

#include "common/result.hpp"
#include "report/run_result.hpp"

namespace stampede::report {

// Quotes a field the way Python's csv module does (QUOTE_MINIMAL).
std::string csv_field(std::string_view text);
// PREFIX_stats.csv's text (the web API's download).
std::string stats_csv_text(const run_result& result);
// Writes the four files, or says which could not be written.
common::status write_csv_files(const run_result& result, const std::string& prefix);

}  // namespace stampede::report
