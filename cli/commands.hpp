#pragma once
// The subcommands that run load or check a scenario, free of argument parsing: main.cpp turns
// flags into these options. The ones that read saved results are in result_commands.hpp.
#include <optional>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "scenario/load_plan.hpp"
#include "proto/coordinator_server.hpp"
#include "master/run_controller.hpp"
#include "report/run_result.hpp"
#include "worker/worker_agent.hpp"

namespace stampede::cli {

// The web UI's port when none is given (Locust's).
inline constexpr int default_web_port = 8089;

struct run_command_options {
    std::string scenario_path;
    lang::load_overrides overrides;
    lang::watch_overrides watch;  // the master's additions to the scenario's watch section
    std::string watch_interval;   // --watch-interval; empty: the scenario's
    std::string csv_prefix;
    std::string json_path;
    std::string html_path;      // --html: the self-contained HTML report
    std::string baseline_path;  // --baseline: a result JSON for relative thresholds
    bool headless = false;
    master::web_options web;             // port set from web_port, linger from metrics_linger
    std::optional<int> web_port;
    std::string metrics_linger = "0s";
    bool autostart = false;
    std::string autoquit;  // empty: not given
    std::string stop_timeout = "5s";
    int threads = 0;
    int exit_code_on_error = 1;
    std::uint64_t seed = 0;
    std::string command_line;
    std::vector<report::run_setting> settings;  // from the environment or a config file, with sources
    // run: in-process workers; master: remote workers on `bind`.
    int workers = 1;
    std::string bind;
    int expect_workers = 1;
    std::string expect_workers_max_wait = "0";
    std::string heartbeat_timeout = "3s";
    std::string token;
    wire::tls_files tls;
    bool allow_unauthenticated = false;  // listen beyond loopback without a token or --web-auth
};

int run_command(const run_command_options& options);
int validate_command(const std::string& scenario_path);
int worker_command(const worker::agent_options& options);

}  // namespace stampede::cli
