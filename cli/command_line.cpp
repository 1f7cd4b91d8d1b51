#include "cli/command_line.hpp"

#include <algorithm>
#include <cctype>

#include "cli/flag_checks.hpp"
#include "cli/setting_sources.hpp"

namespace stampede::cli {

namespace {

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

// What the master reads of the service beside the load, added to the scenario's watch section.
void add_watch_flags(CLI::App& cmd, cli::run_command_options& o) {
    cmd.add_option("--watch-process", o.watch.processes,
                   "NAME=PROCESS (a name, pid:N or pid-file:PATH): watch a process's CPU and memory beside the load (repeatable)")
        ->expected(1)
        ->take_all();
    cmd.add_option("--watch-cgroup", o.watch.cgroups, "NAME=PATH: watch a cgroup's (a container's) CPU, memory and I/O (repeatable)")
        ->expected(1)
        ->take_all();
    cmd.add_option("--watch-container", o.watch.containers,
                   "NAME=CONTAINER: watch a container's CPU, memory and I/O, found by its name or id through podman or docker (repeatable)")
        ->expected(1)
        ->take_all();
    cmd.add_option("--watch-series", o.watch.series,
                   "NAME=SELECTOR: watch a series of the service's first Prometheus endpoint (else the default host's /metrics) (repeatable)")
        ->expected(1)
        ->take_all();
    cmd.add_option("--watch-interval", o.watch_interval, "How often the service is watched (default: the scenario's, else 1s)")
        ->check(duration());
}

void add_load_flags(CLI::App& cmd, cli::run_command_options& o, std::string& run_time) {
    cmd.add_option("-f,--scenario", o.scenario_path, "Scenario file (YAML)")->required();
    cmd.add_option("-H,--host", o.overrides.host, "Target base URL, overrides the scenario's host");
    cmd.add_option("--host-url", o.overrides.host_urls, "NAME=URL: the base URL of the scenario's host NAME (repeatable)")
        ->expected(1)
        ->take_all();
    add_watch_flags(cmd, o);
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
    cmd.add_option("--web-host", o.web.host,
                   "Address of the web UI, REST API and /metrics (default 127.0.0.1; beyond loopback it needs --web-auth)")
        ->check(CLI::Validator([](std::string& text) { return cli::check_ip(text); }, ""));
    cmd.add_option("--web-port", o.web_port, "Port of the web UI, REST API and /metrics (default 8089; 0: any free one; with --headless: serve them there too)")
        ->check(whole(0, 65535));
    cmd.add_option("--web-auth", o.web.auth, "user:password the web server requires (HTTP Basic)")
        ->check(CLI::Validator([](std::string& text) { return cli::check_user_password(text); }, ""));
    cmd.add_option("--web-allowed-host", o.web.allowed_hosts,
                   "A name the web server answers to besides IP addresses and localhost, as in its Host header (repeatable)")
        ->expected(1)->take_all()->delimiter(',')
        ->check(CLI::Validator([](std::string& text) { return cli::check_host_name(text); }, ""));
    cmd.add_option("--web-token", o.web.control_token,
                   "The control token REST calls that change the run carry in X-Stampede-Token (default: a random one, at GET /api/token)")
        ->check(CLI::Validator([](std::string& text) { return cli::check_control_token(text); }, ""));
    cmd.add_flag("--allow-unauthenticated", o.allow_unauthenticated,
                 "Listen beyond loopback without a token (control channel) or --web-auth (web UI): anyone who reaches them "
                 "gets the scenario and its secrets and can steer the run; named in the result");
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
    cmd.add_option("--bind", o.bind,
                   "Address for workers to connect to, HOST:PORT (default 0.0.0.0:5557; beyond loopback it needs --token or --tls-ca)")
        ->check(address(true));
    cmd.add_option("--token", o.token, "Shared secret workers must present");
    cmd.add_option("--expect-workers", o.expect_workers, "Start once this many workers have joined (default 1)")
        ->check(whole(1, 5000));
    cmd.add_option("--expect-workers-max-wait", o.expect_workers_max_wait,
                   "Give up (exit 3) if they have not joined within this long (default 0: wait forever)")
        ->check(duration());
    cmd.add_option("--heartbeat-timeout", o.heartbeat_timeout,
                   "Mark a worker lost after this long without a word, or its own --master-timeout plus an interval and 0.5s when longer (default 3s)")->check(duration());
    cmd.add_option("--tls-cert", o.tls.cert, "PEM certificate for the control channel (enables TLS)");
    cmd.add_option("--tls-key", o.tls.key, "PEM private key of --tls-cert");
    cmd.add_option("--tls-ca", o.tls.ca, "PEM CA that worker certificates must chain to (enables mutual TLS)");
}

void add_worker_flags(CLI::App& cmd, worker::agent_options& o, std::string& master_wait, std::string& master_timeout) {
    cmd.add_option("--master", o.master, "The master's address, HOST:PORT")
        ->required()->check(address(false));
    cmd.add_option("--threads", o.threads, "Load threads (default: one per core; at most 1024)")
        ->check(whole(0, cli::max_threads));
    cmd.add_option("--name", o.name, "Name shown by the master (default: host name and pid)");
    cmd.add_option("--token", o.token, "Shared secret the master requires");
    cmd.add_option("--master-wait", master_wait,
                   "Exit 3 if no master answers within this long (default 0: keep trying)")->check(duration());
    cmd.add_option("--master-timeout", master_timeout,
                   "Stop all users after this long without a word from the master (default 5s)")->check(duration());
    cmd.add_option("--tls-ca", o.tls_ca, "PEM CA the master's certificate must chain to (enables TLS)");
    cmd.add_option("--tls-cert", o.tls_cert, "PEM client certificate, for a master requiring mutual TLS");
    cmd.add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert");
    cmd.add_option("--tls-server-name", o.tls_server_name, "Name to expect in the master's certificate");
}

// Every flag of every subcommand can come from STAMPEDE_<NAME> (outside_settings.cpp reads
// them, so the parser itself never does), but those marked not configurable; --help says
// which, after the flag's type.
class environment_formatter : public CLI::Formatter {
public:
    std::string make_option_opts(const CLI::Option* opt) const override {
        auto out = CLI::Formatter::make_option_opts(opt);
        const auto& longs = opt->get_lnames();
        if (!longs.empty() && longs.front() != "help" && opt->get_configurable())
            out += " (" + environment_name(longs.front()) + ")";
        return out;
    }
};

void add_config_flag(CLI::App& cmd, std::string& path) {
    cmd.add_option("--config", path, "Settings file: key = value lines with the long flag names, # comments "
                                     "(Locust's format; default: ./stampede.conf when present)");
}

}  // namespace

command_line::command_line() {
    app.formatter(std::make_shared<environment_formatter>());
    app.set_version_flag("--version", std::string("stampede ") + STAMPEDE_VERSION);
    app.require_subcommand(1);

    run_cmd = app.add_subcommand("run", "Run a load test here: a master and its workers in one process");
    add_load_flags(*run_cmd, run_options, run_time);
    run_cmd->add_option("--workers", run_options.workers, "Workers in this process (default 1; at most 256)")
        ->check(whole(1, cli::max_local_workers));
    run_cmd->add_option("--threads", run_options.threads,
                    "Load threads per worker (default: cores / workers; at most 1024 in all)")
        ->check(whole(0, cli::max_threads));

    master_options.bind = "0.0.0.0:5557";
    master_cmd = app.add_subcommand("master", "Coordinate workers on other hosts and report the results");
    add_load_flags(*master_cmd, master_options, master_run_time);
    add_master_flags(*master_cmd, master_options);

    worker_cmd = app.add_subcommand("worker", "Generate load for a master; needs no scenario file");
    add_worker_flags(*worker_cmd, worker_options, master_wait, master_timeout);

    validate_cmd = app.add_subcommand("validate", "Check a scenario file without sending traffic");
    validate_cmd->add_option("-f,--scenario,scenario", validate_path, "Scenario file (YAML)")->required();

    report_cmd = app.add_subcommand("report", "Render a result saved with --json as the HTML report");
    report_cmd->add_option("result", report_result, "A result file written with --json")->required();
    // The pages `report` and `compare` write are named on their command line only: a run's
    // STAMPEDE_HTML or `html = ...` must not send them over the run's own report.
    report_cmd->add_option("--html", report_html, "Write the report to this file")->required()->configurable(false);

    compare_cmd = app.add_subcommand("compare", "Hold a run against a baseline: per endpoint and in total, with the changes");
    compare_cmd->add_option("baseline", compare_opts.base_path, "The baseline: a result written with --json, or a _stats.csv (Locust's too)")
        ->required();
    compare_cmd->add_option("current", compare_opts.current_path, "The run to judge, in either form")->required();
    max_regression_flag = compare_cmd->add_option("--max-regression", max_regression,
        "Exit 99 if a latency (avg, p50, p95, p99) rose or requests/s fell by more than PCT percent")->check(positive(1e6));
    max_error_flag = compare_cmd->add_option("--max-error-increase", max_error_increase,
        "Exit 99 if an error rate rose by more than PTS percentage points (with --max-regression: default 1)")
        ->check(CLI::Range(0.0, 100.0));
    compare_cmd->add_option("--html", compare_opts.html_path, "Write the comparison as a page too")->configurable(false);

    for (auto* cmd : app.get_subcommands({})) add_config_flag(*cmd, config_path);
}

bool is_secret_flag(const std::string& long_name) {
    return long_name == "token" || long_name == "web-auth" || long_name == "web-token";
}

}  // namespace stampede::cli
