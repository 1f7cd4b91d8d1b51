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
#include "master/console_reporter.hpp"
#include "master/csv_reporter.hpp"
#include "master/html_reporter.hpp"
#include "master/json_reporter.hpp"
#include "master/run_controller.hpp"
#include "master/verdicts.hpp"

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
bool write_results(const master::run_result& result, const run_command_options& options) {
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
        report(master::write_csv_files(result, options.csv_prefix), options.csv_prefix + "_*.csv");
    if (options.json_path.empty() && options.html_path.empty()) return ok;
    const auto document = master::result_document(result);  // made once for both
    if (!options.json_path.empty())
        report(master::write_json_file(document, options.json_path), options.json_path);
    if (!options.html_path.empty())
        report(master::write_html_file(document, options.html_path), options.html_path);
    return ok;
}

// Flags whose values were checked by the parser.
common::micros duration_flag(const std::string& text) { return *common::parse_duration(text); }

}  // namespace

int run_command(const run_command_options& options) {
    if (options.headless && (options.autostart || !options.autoquit.empty())) {
        std::cerr << (options.autostart ? "--autostart" : "--autoquit")
                  << ": only with the web UI (without --headless); a headless run starts at once and ends with its run\n";
        return exit_usage;
    }
    // In one process the workers' joins and goodbyes are noise; a master reports them.
    if (options.bind.empty() && !std::getenv("SPDLOG_LEVEL")) spdlog::set_level(spdlog::level::warn);
    if (options.bind.empty() && options.workers * options.threads > max_threads) {
        std::cerr << "--threads: " << options.workers << " workers of " << options.threads << " threads exceed the "
                  << max_threads << " load threads one process may run\n";
        return exit_usage;
    }
    auto exposed = unauthenticated_listeners(options);
    if (!exposed) {
        std::cerr << "error: " << exposed.error() << "\n";
        return exit_usage;
    }
    for (const auto& listener : *exposed)
        std::cerr << "warning: --allow-unauthenticated: anyone who reaches " << listener << " can use it\n";
    auto planned = lang::plan_run(options.scenario_path, options.overrides, options.seed);
    if (!planned) {
        report_plan_failure(planned.error());
        return exit_usage;
    }
    if (auto outputs = check_run_outputs(options, planned->sc); !outputs) {
        std::cerr << "error: " << outputs.error() << "\n";
        return exit_usage;
    }
    // The baseline is read before any traffic: a bad file, or relative thresholds without one,
    // is a usage error, not a failed run.
    std::optional<master::baseline> base;
    if (!options.baseline_path.empty()) {
        auto read = master::read_baseline(options.baseline_path);
        if (!read) return std::cerr << "error: " << read.error() << "\n", exit_usage;
        base = std::move(*read);
    }
    const auto& thresholds = planned->sc.thresholds;
    const bool relative = std::any_of(thresholds.begin(), thresholds.end(), [](const auto& t) { return t.baseline_factor; });
    if (relative && !base) {
        std::cerr << "error: the scenario has thresholds relative to a baseline: give one with --baseline RESULT.json\n";
        return exit_usage;
    }
    master::run_options run;
    run.base = base ? &*base : nullptr;
    run.stop_timeout = duration_flag(options.stop_timeout);
    run.heartbeat_timeout = duration_flag(options.heartbeat_timeout);
    run.command_line = options.command_line;
    run.settings = options.settings;
    run.unauthenticated_listeners = *exposed;
    if (options.bind.empty()) run.start_local_workers = local_worker_agents(options.workers, options.threads, options.token);
    run.bind = options.bind;
    run.expect_workers = options.bind.empty() ? options.workers : options.expect_workers;
    run.expect_workers_max_wait = duration_flag(options.expect_workers_max_wait);
    if (options.bind.empty() && run.expect_workers_max_wait.count() == 0)
        run.expect_workers_max_wait = std::chrono::seconds(30);  // local workers join at once
    run.token = options.token;
    run.tls = options.tls;
    run.web = options.web;
    run.web.port = options.web_port;
    run.web.metrics_linger = duration_flag(options.metrics_linger);
    if (!options.headless) {  // the web UI: the page starts the run, unless --autostart
        run.web.ui = true;
        if (!run.web.port) run.web.port = default_web_port;
        run.web.wait_for_start = !options.autostart;
        if (!options.autoquit.empty()) run.web.autoquit = duration_flag(options.autoquit);
    }
    bool written = true;
    run.report = [&](const master::run_result& result) {
        master::print_summary(result, std::cout);
        std::cout.flush();
        written = write_results(result, options);
    };
    auto outcome = master::execute_run(*planned, run, std::cout);
    if (!outcome.error.empty() && !outcome.started) {
        std::cerr << "error: " << outcome.error << "\n";
        return outcome.error_code;
    }
    const auto& result = outcome.result;
    if (!outcome.error.empty()) {  // it started, then could not go on: what ran is reported above
        std::cerr << "error: " << outcome.error << "\n";
        return outcome.error_code;
    }
    if (result.incomplete()) return exit_incomplete;
    // A scenario with thresholds is judged by them, not by its first failed request.
    if (!result.verdicts.empty()) {
        if (!master::all_passed(result.verdicts)) return exit_thresholds_failed;
    } else if (result.aggregate.failures > 0) {
        return options.exit_code_on_error;
    }
    return written ? exit_ok : 1;
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
