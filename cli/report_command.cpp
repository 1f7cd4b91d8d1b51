// `stampede report`: a result saved with --json rendered again, as the HTML report.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/result_commands.hpp"
#include "cli/output_paths.hpp"
#include "common/text_file.hpp"
#include "report/baseline.hpp"
#include "report/html_reporter.hpp"

namespace stampede::cli {

int report_command(const std::string& result_path, const std::string& html_path) {
    if (auto ok = check_output_paths({{"--html", html_path}}, {{"the result", result_path}}); !ok)
        return std::cerr << "error: " << ok.error() << "\n", exit_usage;
    auto text = common::read_text_file(result_path, report::max_baseline_bytes);
    if (!text) return std::cerr << "error: cannot read " << result_path << ": " << text.error() << "\n", exit_usage;
    const auto doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded()) {
        std::cerr << "error: " << result_path << ": not JSON (a result file written with --json)\n";
        return exit_usage;
    }
    auto written = report::write_html_file(doc, html_path);
    if (!written) {
        std::cerr << "error: " << (written.error().starts_with("cannot write") ? "" : result_path + ": ") << written.error() << "\n";
        return exit_usage;
    }
    std::cout << "wrote " << html_path << "\n";
    return exit_ok;
}

}  // namespace stampede::cli
