#pragma once
// The master's web side for one run, on the run loop's io_context: its HTTP server with the
// live page and REST API (web_api) and /metrics (metrics_exporter), both observers of the
// loop; after the run, it keeps serving for the metrics linger so the last scrape sees the
// final figures.
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "common/result.hpp"
#include "master/http_server.hpp"
#include "master/metrics_exporter.hpp"
#include "master/run_controller.hpp"
#include "master/run_loop.hpp"
#include "master/web_api.hpp"

namespace stampede::master {

class web_front {
public:
    // `steer` sets the users and spawn rate from now on (POST /api/swarm).
    web_front(boost::asio::io_context& io, const web_options& options, const run_result& result, cluster& workers,
              run_loop& loop, const std::string& run_id, std::function<void(int users, double spawn_rate)> steer);
    // Listens, and says where on the console; or why it cannot.
    common::status listen(std::ostream& console);
    // Serves on for `how_long` (or until SIGINT/SIGTERM), then closes.
    void linger(common::micros how_long, std::ostream& console);
    int port() const { return port_; }

private:
    boost::asio::io_context& io_;
    web_options options_;
    http_server server_;
    metrics_exporter metrics_;
    web_api api_;
    int port_ = 0;
};

}  // namespace stampede::master
