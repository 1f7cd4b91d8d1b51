#include "master/web_front.hpp"

#include "master/interruptible_wait.hpp"

#include <ostream>

#include <boost/asio/io_context.hpp>

#include "common/duration.hpp"

namespace stampede::master {

namespace asio = boost::asio;

web_front::web_front(asio::io_context& io, const web_options& options, const run_result& result, cluster& workers,
                     run_loop& loop, const std::string& run_id, web_front_hooks hooks)
    : io_(io),
      options_(options),
      loop_(loop),
      workers_(workers),
      check_start_(std::move(hooks.check)),
      server_(io),
      metrics_(result, run_id),
      api_(server_, {result, workers, [this] { return phase(); },
                     [&loop](const std::string& why) { loop.request_stop(why); }, std::move(hooks.steer),
                     [&loop] { loop.reset_statistics(); },
                     [this](const start_request& s) -> common::status {
                         if (auto ok = check_start_(s); !ok) return ok;
                         start_ = s;
                         return {};
                     },
                     std::move(hooks.scenario)}) {
    server_.require_auth(options.auth);
    const auto token = options.control_token.empty() ? make_control_token() : options.control_token;
    server_.guard({options.allowed_hosts, token});
    // Readable only by pages of this server: no other origin can read an answer of it (no CORS),
    // and no other name reaches it (the guard checks Host).
    server_.route("GET", "/api/token", [token](const http_request&) {
        return http_reply{200, "application/json", nlohmann::json{{"token", token}, {"header", control_token_header}}.dump() + "\n", {}};
    });
    server_.route("GET", "/metrics", [this](const http_request&) {
        return http_reply{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.scrape(), {}};
    });
    loop.observe(metrics_);
    loop.observe(api_);
}

std::string web_front::phase() const {
    if (!waiting_.empty()) return waiting_;
    return loop_.running() && loop_.stopped_by().empty() ? "running" : "stopping";
}

common::status web_front::listen(std::ostream& console) {
    auto port = server_.listen(options_.host, *options_.port);
    if (!port) return common::fail("--web-port: " + port.error());
    port_ = *port;
    const bool v6 = options_.host.find(':') != std::string::npos;
    url_ = "http://" + (v6 ? "[" + options_.host + "]" : options_.host) + ":" + std::to_string(port_) + "/";
    console << "Web UI on " << url_ << " (REST API under /api, Prometheus metrics on /metrics)" << std::endl;
    return {};
}

bool web_front::await_workers(int count, common::micros max_wait, bool& interrupted) {
    waiting_ = "waiting for workers";
    const auto outcome = master::await_workers(io_, workers_, count, max_wait);
    interrupted = outcome == wait_end::signalled;
    waiting_ = start_ ? "starting" : "ready";
    return outcome == wait_end::done && workers_.health();
}

std::optional<start_request> web_front::await_start(std::ostream& console) {
    waiting_ = "ready";
    console << "Ready: start the run from " << url_ << std::endl;
    const auto outcome = wait_on(io_, [&] { return start_.has_value(); }, std::nullopt);
    if (outcome != wait_end::done) return std::nullopt;
    waiting_ = "starting";
    return start_;
}

void web_front::linger(std::optional<common::micros> how_long, std::ostream& console) {
    waiting_.clear();
    if (!how_long || how_long->count() > 0) {
        if (how_long)
            console << "Serving the web UI and /metrics for " << common::format_duration(*how_long) << " more; Ctrl-C ends it"
                    << std::endl;
        else
            console << "The web UI stays up on " << url_ << " until Ctrl-C" << std::endl;
        wait_on(io_, [] { return false; }, how_long);
    }
    server_.close();
    io_.restart();
    io_.poll();  // what the closing set going ends here
}

}  // namespace stampede::master
