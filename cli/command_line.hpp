#pragma once
// Every subcommand's flags, declared once. A command_line owns the CLI11 app and the values
// its flags fill; main.cpp parses with one, and checks a setting taken from the environment or
// a config file with a scratch one, so a bad value is reported with its source.
#include <CLI/CLI.hpp>
#include <string>

#include "cli/commands.hpp"
#include "cli/result_commands.hpp"

namespace stampede::cli {

struct command_line {
    command_line();
    command_line(const command_line&) = delete;
    command_line& operator=(const command_line&) = delete;

    CLI::App app{"stampede: a distributed load-testing cluster. Scenarios in YAML, exact percentiles."};

    // run and master
    CLI::App* run_cmd = nullptr;
    CLI::App* master_cmd = nullptr;
    run_command_options run_options, master_options;
    std::string run_time, master_run_time;

    CLI::App* worker_cmd = nullptr;
    worker::agent_options worker_options;
    std::string master_wait = "0", master_timeout = "5s";

    CLI::App* validate_cmd = nullptr;
    std::string validate_path;

    CLI::App* report_cmd = nullptr;
    std::string report_result, report_html;

    CLI::App* compare_cmd = nullptr;
    compare_options compare_opts;
    double max_regression = 0, max_error_increase = 0;
    CLI::Option* max_regression_flag = nullptr;
    CLI::Option* max_error_flag = nullptr;

    // Every subcommand takes --config FILE (read by main.cpp before parsing; declared here
    // so it is parsed, documented and listed like the others).
    std::string config_path;
};

// The long names of flags whose values are secrets: kept out of results and logs.
bool is_secret_flag(const std::string& long_name);

}  // namespace stampede::cli
