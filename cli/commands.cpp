#include "cli/commands.hpp"

#include <iostream>

#include "common/scenario_loader.hpp"
#include "master/console_reporter.hpp"
#include "master/csv_reporter.hpp"
#include "master/json_reporter.hpp"
#include "master/run_controller.hpp"

namespace stampede::cli {

namespace {

std::optional<common::scenario> load_or_report(const std::string& path) {
    auto loaded = common::load_scenario_file(path);
    if (!loaded.ok()) {
        std::cerr << loaded.format();
        return std::nullopt;
    }
    return std::move(loaded.value);
}

// Every result file is attempted even when one fails; returns false if any failed.
bool write_results(const master::run_result& result, const run_command_options& options) {
    bool ok = true;
    auto report = [&](const std::string& error, const std::string& what) {
        if (!error.empty()) {
            std::cerr << "error: " << error << "\n";
            ok = false;
        } else {
            std::cout << "wrote " << what << "\n";
        }
    };
    if (!options.csv_prefix.empty())
        report(master::write_csv_files(result, options.csv_prefix), options.csv_prefix + "_*.csv");
    if (!options.json_path.empty())
        report(master::write_json_file(result, options.json_path), options.json_path);
    return ok;
}

}  // namespace

int run_command(const run_command_options& options) {
    auto sc = load_or_report(options.scenario_path);
    if (!sc) return exit_usage;
    auto plan = common::apply_load_plan(*sc, options.overrides);
    if (!plan.error.empty()) {
        std::cerr << "error: " << plan.error << "\n";
        return exit_usage;
    }
    master::run_options run;
    run.load = plan.load;
    run.profile = options.overrides.profile;
    run.stop_timeout = *common::parse_duration(options.stop_timeout);  // validated by the parser
    run.engine.threads = options.threads;
    run.engine.seed = options.seed;
    run.command_line = options.command_line;
    auto outcome = master::execute_run(std::move(*sc), run, std::cout);
    if (!outcome.error.empty()) {
        std::cerr << "error: " << outcome.error << "\n";
        return exit_usage;
    }
    const auto& result = outcome.result;
    master::print_summary(result, std::cout);
    const bool written = write_results(result, options);
    if (result.totals.total().failures > 0) return options.exit_code_on_error;
    return written ? exit_ok : 1;
}

int validate_command(const std::string& scenario_path) {
    auto loaded = common::load_scenario_file(scenario_path);
    if (!loaded.ok()) {
        std::cerr << loaded.format();
        std::cerr << loaded.problems.size() << " problem(s) found in " << scenario_path << "\n";
        return exit_usage;
    }
    const auto& sc = *loaded.value;
    std::size_t tasks = 0;
    for (const auto& cls : sc.user_classes) tasks += cls.tasks.size();
    std::cout << scenario_path << ": ok (" << sc.user_classes.size() << " user class(es), " << tasks
              << " task(s), " << sc.endpoints.size() << " endpoint(s), " << sc.profiles.size()
              << " profile(s))\n";
    return exit_ok;
}

}  // namespace stampede::cli
