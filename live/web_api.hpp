#pragma once
// The master's REST API and live page, on its HTTP server: the run as it goes (stats, history,
// workers, the result so far, the report's data), a stop, and an event stream that says each
// interval what changed. An observer of the run: it reads the result on the loop's thread, so
// it needs no lock.
#include <functional>
#include <optional>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "common/duration.hpp"
#include "live/http_server.hpp"
#include "live/run_names.hpp"
#include "live/start_request_reader.hpp"

namespace stampede::live {


struct web_api_context {
    const run_result& result;
    cluster& workers;
    // "waiting for workers", "ready" (a start may come), "starting", "running", "stopping".
    std::function<std::string()> phase;
    std::function<void(const std::string& why)> stop;          // stops the run, if it is going
    std::function<void(int users, double spawn_rate)> steer;  // the load from now on
    std::function<void()> reset;                               // the statistics start again
    std::function<common::status(const start_request&)> start;  // while ready
    // What the start form offers (classes, profiles, tags, the plan's load) and the thresholds.
    std::function<nlohmann::json()> scenario;
};

class web_api : public run_observer {
public:
    web_api(http_server& server, web_api_context context);
    void on_interval(const run_result& result, const cluster_status& status) override;
    void on_event(const run_result& result, const run_event& event) override;
    void on_finish(const run_result& result) override;

private:
    std::string state() const;
    http_reply swarm(const http_request& r) const;
    nlohmann::json stats() const;
    http_server& server_;
    web_api_context context_;
    bool finished_ = false;
};

}  // namespace stampede::live
