// stampede: command-line wiring only. Each subcommand's work lives in commands.cpp.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.hpp"
#include "common/duration.hpp"

namespace {

using namespace stampede;

std::string check_duration(const std::string& text) {
    std::string error;
    return common::parse_duration(text, &error) ? std::string() : error;
}

std::string joined_command_line(int argc, char** argv) {
    std::string out;
    for (int i = 0; i < argc; ++i) out += (i ? " " : "") + std::string(argv[i]);
    return out;
}

void add_run_flags(CLI::App& run, cli::run_command_options& o, std::string& run_time) {
    run.add_option("-f,--scenario", o.scenario_path, "Scenario file (YAML)")->required();
    run.add_option("-H,--host", o.overrides.host, "Target base URL, overrides the scenario's host");
    run.add_option("-u,--users", o.overrides.users, "Peak number of concurrent users")
        ->check(CLI::NonNegativeNumber);
    run.add_option("-r,--spawn-rate", o.overrides.spawn_rate, "Users started (or stopped) per second")
        ->check(CLI::PositiveNumber);
    run.add_option("-t,--run-time", run_time, "Stop after this long, e.g. 90s, 10m, 1h30m (default: until Ctrl-C)")
        ->check(check_duration);
    run.add_option("-T,--tags", o.overrides.tags, "Run only tasks with any of these tags")->expected(1, -1);
    run.add_option("-E,--exclude-tags", o.overrides.exclude_tags, "Skip tasks with any of these tags")->expected(1, -1);
    run.add_option("--profile", o.overrides.profile, "Use a load profile named in the scenario (quick, standard, ...)");
    run.add_option("--csv", o.csv_prefix, "Write PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv, PREFIX_exceptions.csv");
    run.add_option("--json", o.json_path, "Write the complete result as JSON");
    run.add_flag("--headless", o.headless, "Run without a web UI, print status to the console (the only mode so far)");
    run.add_option("--stop-timeout", o.stop_timeout, "On stop, let requests in flight finish for this long (default 5s)")
        ->check(check_duration);
    run.add_option("--threads", o.threads, "Load threads (default: one per core)")->check(CLI::NonNegativeNumber);
    run.add_option("--exit-code-on-error", o.exit_code_on_error, "Exit code when any request failed (default 1)")
        ->check(CLI::Range(0, 255));
    run.add_option("--seed", o.seed, "Seed for task choice and wait times (default: random)");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"stampede: a distributed load-testing cluster. Scenarios in YAML, exact percentiles."};
    app.set_version_flag("--version", std::string("stampede ") + STAMPEDE_VERSION);
    app.require_subcommand(1);

    cli::run_command_options run_options;
    std::string run_time;
    auto* run = app.add_subcommand("run", "Run a load test from this machine and report the results");
    add_run_flags(*run, run_options, run_time);

    std::string validate_path;
    auto* validate = app.add_subcommand("validate", "Check a scenario file without sending traffic");
    validate->add_option("-f,--scenario,scenario", validate_path, "Scenario file (YAML)")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return cli::exit_usage;
    }

    if (*validate) return cli::validate_command(validate_path);
    if (!run_time.empty()) run_options.overrides.run_time = common::parse_duration(run_time);
    run_options.command_line = joined_command_line(argc, argv);
    return cli::run_command(run_options);
}
