// stampede: command-line wiring only. Each subcommand's work lives in commands.cpp.
#include <CLI/CLI.hpp>
#include <iostream>

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "cli/flag_checks.hpp"
#include "common/duration.hpp"

namespace {

using namespace stampede;

std::string joined_command_line(int argc, char** argv) {
    std::string out;
    for (int i = 0; i < argc; ++i) out += (i ? " " : "") + std::string(argv[i]);
    return out;
}

CLI::Validator whole(long long low, long long high) {
    return {[=](std::string& text) { return cli::check_whole(text, low, high); }, ""};
}
CLI::Validator positive(double max) {
    return {[=](std::string& text) { return cli::check_positive(text, max); }, ""};
}
CLI::Validator address(bool any_port) {
    return {[=](std::string& text) { return cli::check_address(text, any_port); }, ""};
}
CLI::Validator duration() { return {[](std::string& text) { return cli::check_duration(text); }, ""}; }

void add_load_flags(CLI::App& cmd, cli::run_command_options& o, std::string& run_time) {
    cmd.add_option("-f,--scenario", o.scenario_path, "Scenario file (YAML)")->required();
    cmd.add_option("-H,--host", o.overrides.host, "Target base URL, overrides the scenario's host");
    cmd.add_option("--host-url", o.overrides.host_urls, "NAME=URL: the base URL of the scenario's host NAME (repeatable)")
        ->expected(1)
        ->take_all();
    cmd.add_option("-u,--users", o.overrides.users, "Peak number of concurrent users (at most 10000000); replaces a load shape")
        ->check(whole(0, 10'000'000));
    cmd.add_option("-r,--spawn-rate", o.overrides.spawn_rate, "Users started (or stopped) per second (at most 1000000); replaces a load shape")
        ->check(positive(1e6));
    cmd.add_option("-t,--run-time", run_time, "Stop after this long, e.g. 90s, 10m, 1h30m (default: until Ctrl-C)")
        ->check(duration());
    cmd.add_option("-T,--tags", o.overrides.tags, "Run only tasks with any of these tags (space- or comma-separated)")
        ->expected(1, -1)->delimiter(',');
    cmd.add_option("-E,--exclude-tags", o.overrides.exclude_tags,
                   "Skip tasks with any of these tags (space- or comma-separated)")->expected(1, -1)->delimiter(',');
    cmd.add_option("--profile", o.overrides.profile, "Use a load profile named in the scenario (quick, standard, ...)");
    cmd.add_option("--csv", o.csv_prefix, "Write PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv, PREFIX_exceptions.csv");
    cmd.add_option("--json", o.json_path, "Write the complete result as JSON");
    cmd.add_option("--html", o.html_path, "Write the HTML report: one self-contained page that opens offline");
    cmd.add_option("--baseline", o.baseline_path,
                   "A result JSON of an earlier run, for thresholds such as 'p95 < 3x baseline'");
    cmd.add_flag("--headless", o.headless, "No web UI: the run starts at once, its status on the console");
    cmd.add_option("--web-host", o.web.host, "Address of the web UI, REST API and /metrics (default 127.0.0.1)")
        ->check(CLI::Validator([](std::string& text) { return cli::check_ip(text); }, ""));
    cmd.add_option("--web-port", o.web_port, "Port of the web UI, REST API and /metrics (default 8089; 0: any free one; with --headless: serve them there too)")
        ->check(whole(0, 65535));
    cmd.add_option("--web-auth", o.web.auth, "user:password the web server requires (HTTP Basic)")
        ->envname("STAMPEDE_WEB_AUTH")
        ->check(CLI::Validator([](std::string& text) { return text.find(':') == std::string::npos ? std::string("expected user:password") : std::string(); }, ""));
    cmd.add_flag("--autostart", o.autostart, "With the web UI: start the run at once rather than from the page");
    cmd.add_option("--autoquit", o.autoquit, "With the web UI: exit this long after the run ends (default: at Ctrl-C)")
        ->check(duration());
    cmd.add_option("--metrics-linger", o.metrics_linger, "After the run, keep /metrics up this long for a last scrape (default 0s)")
        ->check(duration());
    cmd.add_option("--stop-timeout", o.stop_timeout, "On stop, let requests in flight finish for this long (default 5s)")
        ->check(duration());
    cmd.add_option("--exit-code-on-error", o.exit_code_on_error, "Exit code when any request failed (default 1)")
        ->check(whole(0, 255));
    cmd.add_option("--seed", o.seed, "Seed for task choice and wait times (default: random)");
}

void add_master_flags(CLI::App& cmd, cli::run_command_options& o) {
    cmd.add_option("--bind", o.bind, "Address for workers to connect to, HOST:PORT (default 0.0.0.0:5557)")
        ->check(address(true));
    cmd.add_option("--token", o.token, "Shared secret workers must present")->envname("STAMPEDE_TOKEN");
    cmd.add_option("--expect-workers", o.expect_workers, "Start once this many workers have joined (default 1)")
        ->check(whole(1, 5000));
    cmd.add_option("--expect-workers-max-wait", o.expect_workers_max_wait,
                   "Give up (exit 3) if they have not joined within this long (default 0: wait forever)")
        ->check(duration());
    cmd.add_option("--heartbeat-timeout", o.heartbeat_timeout,
                   "Mark a worker lost after this long without a word (default 3s)")->check(duration());
    cmd.add_option("--tls-cert", o.tls.cert, "PEM certificate for the control channel (enables TLS)");
    cmd.add_option("--tls-key", o.tls.key, "PEM private key of --tls-cert");
    cmd.add_option("--tls-ca", o.tls.ca, "PEM CA that worker certificates must chain to (enables mutual TLS)");
}

void add_worker_flags(CLI::App& cmd, worker::agent_options& o, std::string& master_wait, std::string& master_timeout) {
    cmd.add_option("--master", o.master, "The master's address, HOST:PORT")
        ->required()->envname("STAMPEDE_MASTER")->check(address(false));
    cmd.add_option("--threads", o.threads, "Load threads (default: one per core; at most 1024)")
        ->check(whole(0, cli::max_threads));
    cmd.add_option("--name", o.name, "Name shown by the master (default: host name and pid)");
    cmd.add_option("--token", o.token, "Shared secret the master requires")->envname("STAMPEDE_TOKEN");
    cmd.add_option("--master-wait", master_wait,
                   "Exit 3 if no master answers within this long (default 0: keep trying)")->check(duration());
    cmd.add_option("--master-timeout", master_timeout,
                   "Stop all users after this long without a word from the master (default 5s)")->check(duration());
    cmd.add_option("--tls-ca", o.tls_ca, "PEM CA the master's certificate must chain to (enables TLS)");
    cmd.add_option("--tls-cert", o.tls_cert, "PEM client certificate, for a master requiring mutual TLS");
    cmd.add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert");
    cmd.add_option("--tls-server-name", o.tls_server_name, "Name to expect in the master's certificate");
}

}  // namespace

int main(int argc, char** argv) {
    // Diagnostics go to stderr; stdout carries the status line and the results.
    spdlog::set_default_logger(spdlog::stderr_color_mt("stampede"));
    spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug for more detail
    CLI::App app{"stampede: a distributed load-testing cluster. Scenarios in YAML, exact percentiles."};
    app.set_version_flag("--version", std::string("stampede ") + STAMPEDE_VERSION);
    app.require_subcommand(1);

    cli::run_command_options run_options;
    std::string run_time;
    auto* run = app.add_subcommand("run", "Run a load test here: a master and its workers in one process");
    add_load_flags(*run, run_options, run_time);
    run->add_option("--workers", run_options.workers, "Workers in this process (default 1; at most 256)")
        ->check(whole(1, cli::max_local_workers));
    run->add_option("--threads", run_options.threads,
                    "Load threads per worker (default: cores / workers; at most 1024 in all)")
        ->check(whole(0, cli::max_threads));

    cli::run_command_options master_options;
    master_options.bind = "0.0.0.0:5557";
    std::string master_run_time;
    auto* master = app.add_subcommand("master", "Coordinate workers on other hosts and report the results");
    add_load_flags(*master, master_options, master_run_time);
    add_master_flags(*master, master_options);

    worker::agent_options worker_options;
    std::string master_wait = "0", master_timeout = "5s";
    auto* worker_cmd = app.add_subcommand("worker", "Generate load for a master; needs no scenario file");
    add_worker_flags(*worker_cmd, worker_options, master_wait, master_timeout);

    std::string validate_path;
    auto* validate = app.add_subcommand("validate", "Check a scenario file without sending traffic");
    validate->add_option("-f,--scenario,scenario", validate_path, "Scenario file (YAML)")->required();

    std::string report_result, report_html;
    auto* report = app.add_subcommand("report", "Render a result saved with --json as the HTML report");
    report->add_option("result", report_result, "A result file written with --json")->required();
    report->add_option("--html", report_html, "Write the report to this file")->required();

    cli::compare_options compare_options;
    double max_regression = 0, max_error_increase = 0;
    auto* compare = app.add_subcommand("compare", "Hold a run against a baseline: per endpoint and in total, with the changes");
    compare->add_option("baseline", compare_options.base_path, "The baseline: a result written with --json, or a _stats.csv (Locust's too)")
        ->required();
    compare->add_option("current", compare_options.current_path, "The run to judge, in either form")->required();
    auto* max_regression_flag = compare->add_option("--max-regression", max_regression,
        "Exit 99 if a latency (avg, p50, p95, p99) rose or requests/s fell by more than PCT percent")->check(positive(1e6));
    auto* max_error_flag = compare->add_option("--max-error-increase", max_error_increase,
        "Exit 99 if an error rate rose by more than PTS percentage points (with --max-regression: default 1)")
        ->check(CLI::Range(0.0, 100.0));
    compare->add_option("--html", compare_options.html_path, "Write the comparison as a page too");

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
    if (*report) return cli::report_command(report_result, report_html);
    if (*compare) {
        if (*max_regression_flag) {
            compare_options.bounds.max_regression_pct = max_regression;
            compare_options.bounds.max_error_increase_pts = 1.0;
        }
        if (*max_error_flag) compare_options.bounds.max_error_increase_pts = max_error_increase;
        return cli::compare_command(compare_options);
    }
    if (*worker_cmd) {
        worker_options.master_wait = *common::parse_duration(master_wait);
        worker_options.master_timeout = *common::parse_duration(master_timeout);
        return cli::worker_command(worker_options);
    }
    auto& options = *master ? master_options : run_options;
    const auto& time_text = *master ? master_run_time : run_time;
    if (!time_text.empty()) options.overrides.run_time = *common::parse_duration(time_text);  // checked by its flag
    options.command_line = joined_command_line(argc, argv);
    if (!*master) options.bind.clear();
    return cli::run_command(options);
}
