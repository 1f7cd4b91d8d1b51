#include "live/web_front.hpp"

#include "master/interruptible_wait.hpp"

#include <ostream>

#include <boost/asio/io_context.hpp>

#include "common/duration.hpp"

namespace stampede::live {

namespace asio = boost::asio;

using master::start_request;
using master::wait_end;

web_front::web_front(master::run_front_parts parts)
    : io_(parts.io),
      options_(parts.options),
      loop_(parts.loop),
      workers_(parts.workers),
      check_start_(std::move(parts.hooks.check)),
      server_(parts.io),
      metrics_(parts.result, parts.run_id),
      api_(server_, {parts.result, parts.workers, [this] { return phase(); },
                     [&loop = parts.loop](const std::string& why) { loop.request_stop(why); }, std::move(parts.hooks.steer),
                     [&loop = parts.loop] { loop.reset_statistics(); },
                     [this](const start_request& s) -> common::status {
                         if (auto ok = check_start_(s); !ok) return ok;
                         start_ = s;
                         return {};
                     },
                     std::move(parts.hooks.scenario)}) {
    server_.require_auth(options_.auth);
    const auto token = options_.control_token.empty() ? make_control_token() : options_.control_token;
    server_.guard({options_.allowed_hosts, token});
    // Readable only by pages of this server: no other origin can read an answer of it (no CORS),
    // and no other name reaches it (the guard checks Host).
    server_.route("GET", "/api/token", [token](const http_request&) {
        return http_reply{200, "application/json", nlohmann::json{{"token", token}, {"header", control_token_header}}.dump() + "\n", {}};
    });
    server_.route("GET", "/metrics", [this](const http_request&) {
        return http_reply{200, "text/plain; version=0.0.4; charset=utf-8", metrics_.scrape(), {}};
    });
    loop_.observe(metrics_);
    loop_.observe(api_);
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
    const auto outcome = master::wait_on(io_, [&] { return start_.has_value(); }, std::nullopt);
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
        master::wait_on(io_, [] { return false; }, how_long);
    }
    server_.close();
    io_.restart();
    io_.poll();  // what the closing set going ends here
}

std::unique_ptr<master::run_front> make_web_front(master::run_front_parts parts) {
    return std::make_unique<web_front>(std::move(parts));
}

}  // namespace stampede::live
