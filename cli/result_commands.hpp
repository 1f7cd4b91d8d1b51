#pragma once
// The subcommands that read saved results: they need the report library alone (no master, no
// worker, no wire).
#include <string>

#include "cli/exit_codes.hpp"
#include "report/comparison.hpp"

namespace stampede::cli {

// `stampede report RESULT.json --html FILE`: a saved result rendered as the HTML report.
int report_command(const std::string& result_path, const std::string& html_path);

struct compare_options {
    std::string base_path, current_path;  // a Stampede JSON result or a _stats.csv each
    report::regression_bounds bounds;
    std::string html_path;
};
int compare_command(const compare_options& options);

}  // namespace stampede::cli
