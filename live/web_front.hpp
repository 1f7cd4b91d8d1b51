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
#include "live/http_server.hpp"
#include "live/metrics_exporter.hpp"
#include "live/web_api.hpp"
#include "master/run_controller.hpp"
#include "master/run_front.hpp"

namespace stampede::live {

class web_front final : public master::run_front {
public:
    explicit web_front(master::run_front_parts parts);
    common::status listen(std::ostream& console) override;
    bool await_workers(int count, common::micros max_wait, bool& interrupted) override;
    std::optional<master::start_request> await_start(std::ostream& console) override;
    void run_begins() override { waiting_.clear(); }
    void linger(std::optional<common::micros> how_long, std::ostream& console) override;
    int port() const { return port_; }
    const std::string& url() const { return url_; }

private:
    std::string phase() const;
    boost::asio::io_context& io_;
    master::web_options options_;
    master::run_loop& loop_;
    master::cluster& workers_;
    std::function<common::status(const master::start_request&)> check_start_;
    std::string waiting_ = "waiting for workers";  // before the run: what the master waits for
    std::optional<master::start_request> start_;
    http_server server_;
    metrics_exporter metrics_;
    web_api api_;
    int port_ = 0;
    std::string url_;
};

// The command line's factory of web sides (run_options::make_front).
std::unique_ptr<master::run_front> make_web_front(master::run_front_parts parts);

}  // namespace stampede::live
