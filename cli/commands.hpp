#pragma once
// The subcommands, free of argument parsing: main.cpp turns flags into these options.
#include <optional>
#include <string>
#include <vector>

#include "common/load_plan.hpp"

namespace stampede::cli {

// Exit codes, documented in docs/exit-codes.md.
inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 2;

struct run_command_options {
    std::string scenario_path;
    common::load_overrides overrides;
    std::string csv_prefix;
    std::string json_path;
    bool headless = false;
    std::string stop_timeout = "5s";
    int threads = 0;
    int exit_code_on_error = 1;
    std::uint64_t seed = 0;
    std::string command_line;
};

int run_command(const run_command_options& options);
int validate_command(const std::string& scenario_path);

}  // namespace stampede::cli
