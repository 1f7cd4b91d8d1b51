#pragma once
// The front-end files compiled into the binary (web/CMakeLists.txt): uPlot from npm, the
// pages' shared helpers, the report's own page, style and script (and its part for the watched service), the comparison's page and script, and the script
// that makes the report the master's live page.
#include <string_view>

namespace stampede::web {

extern const std::string_view uplot_js, uplot_css;
extern const std::string_view page_js;
extern const std::string_view report_html, report_css, report_js, service_js;
extern const std::string_view compare_html, compare_js;
extern const std::string_view live_js;

}  // namespace stampede::web
