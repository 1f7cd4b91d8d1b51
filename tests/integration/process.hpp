#pragma once
// Test helpers: start real binaries, read their output, signal them, and talk to the demo
// target over plain HTTP on loopback.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stampede::testing {

class child_process {
public:
    // Starts `argv` with stdout and stderr captured to files in a fresh temp directory.
    explicit child_process(std::vector<std::string> argv);
    ~child_process();  // kills the process if it still runs
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    // Waits until stdout contains `text`; returns false on timeout or exit.
    bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout);
    void send(int signal);
    // Waits for exit; returns the exit code (128+signal if killed) or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    std::string out() const;
    std::string err() const;
    bool running();
    int pid() const { return pid_; }

private:
    int pid_ = -1;
    std::optional<int> status_;
    std::string out_path_, err_path_;
};

// A scratch directory removed at scope exit.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

// Runs stampede with `args` to completion; returns exit code, stdout and stderr. `run` and
// `master` get --headless (no web UI to wait on) unless the args give it or --web-port.
struct run_output {
    int code = -1;
    std::string out, err;
};
run_output run_stampede(std::vector<std::string> args, std::chrono::seconds timeout = std::chrono::seconds(60));

// `stampede run` of a scenario written as `host: HOST_URL` then `body`, with `extra` flags and
// a JSON result; the run's output and the result (null when none was written).
struct scenario_run {
    run_output run;
    nlohmann::json result;
};
scenario_run run_scenario_with_result(const std::string& host_url, const std::string& body,
                                      const std::vector<std::string>& extra);

// The demo target on a free loopback port, stopped at scope exit.
class demo_target {
public:
    explicit demo_target(std::vector<std::string> extra_args = {});
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    // Every port it listens on, in the order given (plain ones first), and its HTTPS ones.
    const std::vector<int>& ports() const { return ports_; }
    const std::vector<int>& https_ports() const { return https_ports_; }
    nlohmann::json stats();  // GET /__stats
    std::uint64_t served() { return stats()["served"].get<std::uint64_t>(); }
    int pid() const { return process_->pid(); }

private:
    std::unique_ptr<child_process> process_;
    int port_ = 0;
    std::vector<int> ports_, https_ports_;
};

// `stampede master --headless --bind 127.0.0.1:0 ARGS...`, once it listens; `port` is where it does.
std::unique_ptr<child_process> start_master(std::vector<std::string> args, int& port);
// `stampede worker` with one thread, connected to 127.0.0.1:`port`.
std::unique_ptr<child_process> start_worker(int port, const std::string& name, std::vector<std::string> extra = {});
// What a worker that has exited said it counted ("worker counted N request(s)").
std::uint64_t counted_by(child_process& worker);

// A blocking HTTP/1.0 GET on 127.0.0.1; returns the body.
std::string http_get(int port, const std::string& path);
// `request` as written, to 127.0.0.1:`port`; the whole response (status line, headers, body),
// read until the server closes or `timeout` passes.
std::string http_raw(int port, const std::string& request, std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace stampede::testing
