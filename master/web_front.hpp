#pragma once
// The master's web side for one run, on the run loop's io_context: its HTTP server with the
// live page and REST API (web_api) and /metrics (metrics_exporter), both observers of the
// loop. While the master waits (for its workers, for a start from the page) the io_context
// runs here, serving; after the run it serves on for the linger, so the last scrape sees the
// final figures and the page the whole run.
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"
#include "master/http_server.hpp"
#include "master/metrics_exporter.hpp"
#include "master/run_controller.hpp"
#include "master/run_loop.hpp"
#include "master/web_api.hpp"

namespace stampede::master {

struct web_front_hooks {
    std::function<void(int users, double spawn_rate)> steer;     // POST /api/swarm while running
    std::function<common::status(const start_request&)> check;  // a start's classes, before it is taken
    std::function<nlohmann::json()> scenario;                    // GET /api/scenario
};

class web_front {
public:
    web_front(boost::asio::io_context& io, const web_options& options, const run_result& result, cluster& workers,
              run_loop& loop, const std::string& run_id, web_front_hooks hooks);
    // Listens, and says where on the console; or why it cannot.
    common::status listen(std::ostream& console);
    // Serves until `count` workers are active (true), `max_wait` passed (0: no limit) or a
    // worker cannot run the scenario (false), or a signal came (false, and `interrupted`).
    bool await_workers(int count, common::micros max_wait, bool& interrupted);
    // Serves until a start comes from the page (returned) or a signal (none).
    std::optional<start_request> await_start(std::ostream& console);
    // The run begins: the API says so from now on.
    void run_begins() { waiting_.clear(); }
    // Serves on for `how_long` (none: until SIGINT or SIGTERM), then closes.
    void linger(std::optional<common::micros> how_long, std::ostream& console);
    int port() const { return port_; }
    const std::string& url() const { return url_; }

private:
    std::string phase() const;
    boost::asio::io_context& io_;
    web_options options_;
    run_loop& loop_;
    cluster& workers_;
    std::function<common::status(const start_request&)> check_start_;
    std::string waiting_ = "waiting for workers";  // before the run: what the master waits for
    std::optional<start_request> start_;
    http_server server_;
    metrics_exporter metrics_;
    web_api api_;
    int port_ = 0;
    std::string url_;
};

}  // namespace stampede::master
