#pragma once
// Runs one load test as a master: starts the coordinator (on a port, or in-process for
// `stampede run` with its local workers), waits for the expected workers, hands out users,
// collects merged stats every interval, prints the status line, ends at the run time or on
// SIGINT/SIGTERM, and returns the result.
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "scenario/run_plan.hpp"
#include "scenario/watch_overrides.hpp"
#include "report/baseline.hpp"
#include "proto/coordinator_server.hpp"
#include "master/result_model.hpp"
#include "master/run_front.hpp"

namespace stampede::master {

// Workers living in this process (`stampede run`). Destroying them stops and joins them.
class local_workers {
public:
    virtual ~local_workers() = default;
};
using local_workers_factory =
    std::function<std::unique_ptr<local_workers>(std::shared_ptr<wire::master_channel> in_process_channel)>;

// The master's web server: the live page, the REST API and /metrics.
struct web_options {
    std::string host = "127.0.0.1";
    std::optional<int> port;  // none: no web server
    std::string auth;         // user:password, required of every request when given
    std::vector<std::string> allowed_hosts;  // names it answers to besides addresses and localhost
    std::string control_token;  // what a state-changing request carries; empty: a random one
    common::micros metrics_linger{0};  // after the run, keep serving this long (the last scrape)
    // The web UI's mode (not --headless): the run waits for a start from the page (unless
    // --autostart), and the page stays up after it for `autoquit`, or until Ctrl-C.
    bool ui = false;
    bool wait_for_start = false;
    std::optional<common::micros> autoquit;
};

// How the master runs: its own settings. What every worker must agree on is the run plan.
struct run_options {
    common::micros stop_timeout{std::chrono::seconds(5)};
    common::micros snapshot_interval{std::chrono::seconds(1)};
    common::micros status_interval{std::chrono::seconds(2)};
    common::micros heartbeat_timeout{std::chrono::seconds(3)};
    std::string command_line;
    std::vector<run_setting> settings;  // from the environment or a config file
    std::vector<std::string> unauthenticated_listeners;  // open to anyone by --allow-unauthenticated
    const baseline* base = nullptr;  // for thresholds relative to an earlier result
    lang::watch_overrides watch;     // the command line's additions to the scenario's watch section

    // Where workers come from: in-process ones (`run`, started by `start_local_workers` on
    // the server's in-process channel), or remote ones connecting to `bind`.
    local_workers_factory start_local_workers;
    std::string bind;  // empty: no network listener
    int expect_workers = 1;
    common::micros expect_workers_max_wait{0};  // 0: wait forever
    std::string token;
    wire::tls_files tls;
    web_options web;
    // The web side, when `web.port` asks for one (the command line's: live::make_web_front).
    run_front_factory make_front;
    // The result is complete: render it. Called before the web server lingers, so the files
    // are written while the last scrape may still come.
    std::function<void(const run_result&)> report;
};

// Exit code for a master whose expected workers did not come in time.
inline constexpr int exit_workers_missing = 3;

// Exit code for a run whose workers cannot run the scenario (told by a worker).
inline constexpr int exit_cannot_run = 2;

// Exit code for a master interrupted (SIGINT, SIGTERM) before its run started.
inline constexpr int exit_interrupted = 130;

struct run_outcome {
    run_result result;
    std::string error;     // non-empty: the run could not start, or could not go on
    int error_code = 2;
    bool started = false;  // the result holds what ran before the error
};

run_outcome execute_run(const lang::shaped_run& run, const run_options& options, std::ostream& console);

}  // namespace stampede::master
