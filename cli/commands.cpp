#include "cli/commands.hpp"

#include "cli/exposure.hpp"
#include "cli/flag_checks.hpp"
#include "cli/local_cluster.hpp"
#include "cli/output_paths.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include <spdlog/spdlog.h>

#include <iostream>

#include "scenario/loader/scenario_loader.hpp"
#include "common/text_file.hpp"
#include "report/console_reporter.hpp"
#include "report/csv_reporter.hpp"
#include "report/html_reporter.hpp"
#include "report/json_reporter.hpp"
#include "live/web_front.hpp"
#include "master/run_controller.hpp"

namespace stampede::cli {

namespace {

// A plan that cannot run: the loader's located lines as they are, else one error sentence.
void report_plan_failure(const std::string& reason) {
    if (!reason.empty() && reason.back() == '\n') std::cerr << reason;
    else std::cerr << "error: " << reason << "\n";
}

// A file the scenario names, as the loader read it: relative to the scenario's directory.
std::string beside(const std::string& scenario_path, const std::string& file) {
    if (file.empty() || file.front() == '/') return file;
    const auto slash = scenario_path.rfind('/');
    return slash == std::string::npos ? file : scenario_path.substr(0, slash + 1) + file;
}

// The result files against every file the run reads and against each other.
common::status check_run_outputs(const run_command_options& o, const lang::scenario& sc) {
    std::vector<named_path> inputs = {{"the scenario (-f)", o.scenario_path}, {"the baseline (--baseline)", o.baseline_path},
                                      {"--tls-cert", o.tls.cert}, {"--tls-key", o.tls.key}, {"--tls-ca", o.tls.ca}};
    for (const auto& d : sc.data) inputs.push_back({"data set '" + d.name + "'", beside(o.scenario_path, d.file)});
    for (const auto& h : sc.hosts)
        for (const auto* f : {&h.tls.ca_file, &h.tls.client_cert, &h.tls.client_key})
            inputs.push_back({"a TLS file of host '" + h.name + "'", beside(o.scenario_path, *f)});
    std::vector<named_path> outputs = {{"--json", o.json_path}, {"--html", o.html_path}};
    if (!o.csv_prefix.empty())
        for (const auto* suffix : {"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv", "_uncorrected_stats.csv"})
            outputs.push_back({"--csv", o.csv_prefix + suffix});
    return check_output_paths(outputs, inputs);
}

// Every result file is attempted even when one fails; returns false if any failed.
bool write_results(const report::run_result& result, const run_command_options& options) {
    bool ok = true;
    auto report = [&](const common::status& written, const std::string& what) {
        if (!written) {
            std::cerr << "error: " << written.error() << "\n";
            ok = false;
        } else {
            std::cout << "wrote " << what << std::endl;  // a log being followed shows each file as it lands
        }
    };
    if (!options.csv_prefix.empty())
        report(report::write_csv_files(result, options.csv_prefix), options.csv_prefix + "_*.csv");
    if (options.json_path.empty() && options.html_path.empty()) return ok;
    const auto document = report::result_document(result);  // made once for both
    if (!options.json_path.empty())
        report(report::write_json_file(document, options.json_path), options.json_path);
    if (!options.html_path.empty())
        report(report::write_html_file(document, options.html_path), options.html_path);
    return ok;
}

// Flags whose values were checked by the parser.
common::micros duration_flag(const std::string& text) { return *common::parse_duration(text); }

// The master's settings for a run: its workers (in-process for `run`, expected for `master`),
// its listeners, its web side and its timing.
master::run_options master_settings(const run_command_options& options, std::vector<std::string> exposed) {
    master::run_options run;
    run.stop_timeout = duration_flag(options.stop_timeout);
    run.heartbeat_timeout = duration_flag(options.heartbeat_timeout);
    run.command_line = options.command_line;
    run.settings = options.settings;
    run.unauthenticated_listeners = std::move(exposed);
    if (options.bind.empty()) run.start_local_workers = local_worker_agents(options.workers, options.threads, options.token);
    run.bind = options.bind;
    run.expect_workers = options.bind.empty() ? options.workers : options.expect_workers;
    run.expect_workers_max_wait = duration_flag(options.expect_workers_max_wait);
    if (options.bind.empty() && run.expect_workers_max_wait.count() == 0)
        run.expect_workers_max_wait = std::chrono::seconds(30);  // local workers join at once
    run.token = options.token;
    run.tls = options.tls;
    run.web = options.web;
    run.make_front = live::make_web_front;
    run.web.port = options.web_port;
    run.web.metrics_linger = duration_flag(options.metrics_linger);
    run.watch = options.watch;
    if (!options.watch_interval.empty()) run.watch.interval = duration_flag(options.watch_interval);
    if (!options.headless) {  // the web UI: the page starts the run, unless --autostart
        run.web.ui = true;
        if (!run.web.port) run.web.port = default_web_port;
        run.web.wait_for_start = !options.autostart;
        if (!options.autoquit.empty()) run.web.autoquit = duration_flag(options.autoquit);
    }
    return run;
}

// The baseline is read before any traffic: a bad file, or relative thresholds without one, is a
// usage error, not a failed run.
common::result<std::optional<report::baseline>> run_baseline(const run_command_options& options,
                                                             const lang::scenario& sc) {
    std::optional<report::baseline> base;
    if (!options.baseline_path.empty()) {
        auto read = report::read_baseline(options.baseline_path);
        if (!read) return read.why();
        base = std::move(*read);
    }
    const bool relative = std::any_of(sc.thresholds.begin(), sc.thresholds.end(), [](const auto& t) { return t.baseline_factor; });
    if (relative && !base)
        return common::fail("the scenario has thresholds relative to a baseline: give one with --baseline RESULT.json");
    return base;
}

// The command's exit code: the run's error, its completeness, its thresholds, its failures.
int run_exit_code(const master::run_outcome& outcome, const run_command_options& options, bool written) {
    if (!outcome.error.empty()) {  // it could not start, or started and could not go on (what ran is reported)
        std::cerr << "error: " << outcome.error << "\n";
        return outcome.error_code;
    }
    const auto& result = outcome.result;
    if (result.incomplete()) return exit_incomplete;
    // A scenario with thresholds is judged by them, not by its first failed request.
    if (!result.verdicts.empty()) {
        if (!report::all_passed(result.verdicts)) return exit_thresholds_failed;
    } else if (result.aggregate.failures > 0) {
        return options.exit_code_on_error;
    }
    return written ? exit_ok : 1;
}

// What a run's flags allow before it is planned; a usage error otherwise.
common::result<std::vector<std::string>> check_run_flags(const run_command_options& options) {
    if (options.headless && (options.autostart || !options.autoquit.empty()))
        return common::fail(std::string(options.autostart ? "--autostart" : "--autoquit") +
                            ": only with the web UI (without --headless); a headless run starts at once and ends with its run");
    if (options.bind.empty() && options.workers * options.threads > max_threads)
        return common::fail("--threads: " + std::to_string(options.workers) + " workers of " +
                            std::to_string(options.threads) + " threads exceed the " + std::to_string(max_threads) +
                            " load threads one process may run");
    auto exposed = unauthenticated_listeners(options);
    if (!exposed) return common::fail("error: " + exposed.error());
    return std::move(*exposed);
}

}  // namespace

int run_command(const run_command_options& options) {
    // In one process the workers' joins and goodbyes are noise; a master reports them.
    if (options.bind.empty() && !std::getenv("SPDLOG_LEVEL")) spdlog::set_level(spdlog::level::warn);
    auto exposed = check_run_flags(options);
    if (!exposed) return std::cerr << exposed.error() << "\n", exit_usage;
    for (const auto& listener : *exposed)
        std::cerr << "warning: --allow-unauthenticated: anyone who reaches " << listener << " can use it\n";
    auto planned = lang::plan_run(options.scenario_path, options.overrides, options.seed);
    if (!planned) {
        report_plan_failure(planned.error());
        return exit_usage;
    }
    if (auto outputs = check_run_outputs(options, planned->sc); !outputs)
        return std::cerr << "error: " << outputs.error() << "\n", exit_usage;
    auto run = master_settings(options, std::move(*exposed));
    auto watch = planned->sc.watch;  // the watch flags checked before any traffic
    if (auto applied = lang::apply_watch_overrides(watch, run.watch); !applied)
        return std::cerr << "error: " << applied.error() << "\n", exit_usage;
    auto base = run_baseline(options, planned->sc);
    if (!base) return std::cerr << "error: " << base.error() << "\n", exit_usage;
    run.base = *base ? &**base : nullptr;
    bool written = true;
    run.report = [&](const report::run_result& result) {
        report::print_summary(result, std::cout);
        std::cout.flush();
        written = write_results(result, options);
    };
    const auto outcome = master::execute_run(*planned, run, std::cout);
    return run_exit_code(outcome, options, written);
}

int validate_command(const std::string& scenario_path) {
    auto loaded = lang::load_scenario_file(scenario_path);
    if (!loaded.ok()) {
        std::cerr << loaded.format();
        std::cerr << loaded.problems.size() << " problem(s) found in " << scenario_path << "\n";
        return exit_usage;
    }
    const auto& sc = *loaded.value;
    std::size_t tasks = 0;
    for (const auto& cls : sc.user_classes) tasks += cls.tasks.size();
    const auto hosts = std::count_if(sc.hosts.begin(), sc.hosts.end(), [](const lang::host_spec& h) { return h.url.has_value(); });
    std::cout << scenario_path << ": ok (" << hosts << " host(s), " << sc.user_classes.size()
              << " user class(es), " << tasks << " task(s), " << sc.endpoints.size() << " endpoint(s), "
              << sc.checks.size() << " check(s), "
              << sc.data.size() << " data file(s), " << sc.profiles.size() << " profile(s))\n";
    return exit_ok;
}

int worker_command(const worker::agent_options& options) {
    // SIGINT/SIGTERM: stop the users, send what was counted, say goodbye, exit. The signals
    // are blocked before any thread starts, so only the watcher below receives them; SIGUSR1
    // is its wake-up at exit.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    worker::worker_agent agent(options);
    std::thread watcher([&] {
        int received = 0;
        sigwait(&signals, &received);
        if (received == SIGUSR1) return;
        std::cerr << (received == SIGINT ? "SIGINT" : "SIGTERM") << ": stopping the users (again to exit at once)\n";
        agent.stop();
        // A second one while the users stop (requests in flight may take --stop-timeout) forces the exit.
        sigwait(&signals, &received);
        if (received == SIGUSR1) return;
        static const char message[] = "second interrupt: exiting without waiting\n";
        [[maybe_unused]] auto written = write(STDERR_FILENO, message, sizeof message - 1);
        _exit(130);
    });
    const int code = agent.run();
    pthread_kill(watcher.native_handle(), SIGUSR1);
    watcher.join();
    std::cout << "worker counted " << agent.requests_counted() << " request(s), " << agent.failures_counted()
              << " failure(s)" << std::endl;
    return code;
}

}  // namespace stampede::cli
