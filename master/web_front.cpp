#include "master/web_front.hpp"

#include <csignal>
#include <ostream>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/duration.hpp"

namespace stampede::master {

web_front::web_front(boost::asio::io_context& io, const web_options& options, const run_result& result,
                     cluster& workers, run_loop& loop, const std::string& run_id,
                     std::function<void(int users, double spawn_rate)> steer)
    : io_(io),
      options_(options),
      server_(io),
      metrics_(result, run_id),
      api_(server_, {result, workers, [&loop](const std::string& why) { loop.request_stop(why); },
                     [&loop] { return loop.running(); }, std::move(steer), [&loop] { loop.reset_statistics(); }}) {
    server_.require_auth(options.auth);
    server_.route("GET", "/metrics", [this](const http_request&) {
        return http_reply{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.scrape(), {}};
    });
    loop.observe(metrics_);
    loop.observe(api_);
}

common::status web_front::listen(std::ostream& console) {
    auto port = server_.listen(options_.host, *options_.port);
    if (!port) return common::fail("--web-port: " + port.error());
    port_ = *port;
    const bool v6 = options_.host.find(':') != std::string::npos;
    const auto base = "http://" + (v6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port_);
    console << "Web UI on " << base << "/ (REST API under /api, Prometheus metrics on /metrics)" << std::endl;
    return {};
}

void web_front::linger(common::micros how_long, std::ostream& console) {
    if (how_long.count() > 0) {
        console << "Serving /metrics for " << common::format_duration(how_long) << " more (--metrics-linger); Ctrl-C ends it"
                << std::endl;
        boost::asio::steady_timer timer(io_, how_long);
        boost::asio::signal_set signals(io_, SIGINT, SIGTERM);
        timer.async_wait([this](auto ec) { if (!ec) io_.stop(); });
        signals.async_wait([this](auto ec, int) { if (!ec) io_.stop(); });
        io_.restart();
        io_.run();
        timer.cancel();
        signals.cancel();
    }
    server_.close();
    io_.restart();
    io_.poll();  // what the closing set going ends here
}

}  // namespace stampede::master
