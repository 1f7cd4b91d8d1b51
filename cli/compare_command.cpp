// `stampede compare`: two runs side by side, and a regression past the bounds as the exit code.
#include <iostream>

#include "cli/result_commands.hpp"
#include "cli/output_paths.hpp"
#include "common/text_file.hpp"
#include "report/comparison.hpp"
#include "report/html_reporter.hpp"

namespace stampede::cli {

int compare_command(const compare_options& options) {
    if (auto ok = check_output_paths({{"--html", options.html_path}},
                                     {{"the first run", options.base_path}, {"the second run", options.current_path}});
        !ok)
        return std::cerr << "error: " << ok.error() << "\n", exit_usage;
    auto base = report::read_run_summary(options.base_path);
    if (!base) return std::cerr << "error: " << base.error() << "\n", exit_usage;
    auto current = report::read_run_summary(options.current_path);
    if (!current) return std::cerr << "error: " << current.error() << "\n", exit_usage;
    const auto c = report::compare_runs(std::move(*base), std::move(*current), options.bounds);
    report::print_comparison(std::cout, c);
    if (!options.html_path.empty()) {
        auto written = common::write_text_file(options.html_path, report::render_html_comparison(report::comparison_json(c)));
        if (!written) return std::cerr << "error: " << written.error() << "\n", exit_usage;
        std::cout << "wrote " << options.html_path << "\n";
    }
    return c.regressed() ? exit_regressed : exit_ok;
}

}  // namespace stampede::cli
