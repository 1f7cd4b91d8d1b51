#pragma once
// The HTML report: one self-contained page (its script, style and charting library inlined,
// the run's data embedded as JSON), which opens offline. Rendered from the JSON result, so a
// run's report and `stampede report RESULT.json` are the same page.
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/run_result.hpp"

namespace stampede::report {

// The page for a result document (as result_to_json writes it), or why it cannot be one.
common::result<std::string> render_html_report(const nlohmann::json& result);
common::status write_html_file(const run_result& result, const std::string& path);
common::status write_html_file(const nlohmann::json& result, const std::string& path);
// The master's live page: the report, drawn from the master's API as the run goes.
std::string render_live_page();
// The comparison page for `comparison_json`'s document.
std::string render_html_comparison(const nlohmann::json& comparison);

}  // namespace stampede::report
