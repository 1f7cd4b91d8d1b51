#include "live/web_api.hpp"

#include <chrono>

#include <fmt/format.h>

#include "master/result_model.hpp"
#include "report/csv_reporter.hpp"
#include "report/html_reporter.hpp"
#include "report/json_reporter.hpp"
#include "report/report_data.hpp"
#include "report/result_view.hpp"
#include "report/timeline_json.hpp"

namespace stampede::live {

using nlohmann::json;

namespace {

http_reply json_reply(const json& body) {
    return {200, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", {}};
}

json workers_json(const cluster_status& status) {
    json out = json::array();
    const auto now = wall_clock::now();
    for (const auto& w : status.workers)
        out.push_back({{"id", w.id}, {"name", w.name}, {"host", w.machine}, {"state", std::string(state_name(w.state))},
                       {"users", w.users}, {"requests", w.requests}, {"failures", w.failures},
                       {"cpu_percent", w.cpu_percent}, {"rss_bytes", w.rss_bytes},
                       {"last_heard_s_ago", std::chrono::duration<double>(now - w.last_seen).count()}});
    return out;
}

}  // namespace

web_api::web_api(http_server& server, web_api_context context) : server_(server), context_(std::move(context)) {
    server_.route("GET", "/", [](const http_request&) { return http_reply{200, "text/html; charset=utf-8", report::render_live_page(), {}}; });
    server_.route("GET", "/api/stats", [this](const http_request&) { return json_reply(stats()); });
    server_.route("GET", "/api/history", [this](const http_request&) {
        return json_reply(report::timeline_json(context_.result, report::make_result_view(context_.result)));
    });
    server_.route("GET", "/api/workers", [this](const http_request&) {
        return json_reply({{"workers", workers_json(context_.workers.status())}});
    });
    server_.route("GET", "/api/result", [this](const http_request&) {
        auto doc = report::result_document(context_.result);
        doc["state"] = state();
        return json_reply(doc);
    });
    server_.route("GET", "/api/report", [this](const http_request&) {
        auto data = report::make_report_data(report::result_document(context_.result));
        if (!data) return json_error(500, data.error());
        (*data)["state"] = state();
        // Verdicts come at the end: until then the page lists what will be judged.
        if ((*data)["thresholds"].empty()) (*data)["thresholds_pending"] = context_.scenario().value("thresholds", json::array());
        return json_reply(*data);
    });
    server_.route("GET", "/api/scenario", [this](const http_request&) {
        auto doc = context_.scenario();
        doc["state"] = state();
        return json_reply(doc);
    });
    server_.route("POST", "/api/stop", [this](const http_request&) {
        if (state() != "running") return json_error(409, "no run is going: it is " + state());
        context_.stop("stopped from the web API");
        return json_reply({{"state", "stopping"}});
    });
    server_.route("POST", "/api/swarm", [this](const http_request& r) { return swarm(r); });
    server_.route("POST", "/api/reset", [this](const http_request&) {
        if (state() != "running") return json_error(409, "no run is going: it is " + state());
        context_.reset();
        return json_reply({{"state", state()}, {"reset", true}});
    });
    server_.route("GET", "/api/report.html", [this](const http_request&) {
        auto page = report::render_html_report(report::result_document(context_.result));
        if (!page) return json_error(500, page.error());
        return http_reply{200, "text/html; charset=utf-8", std::move(*page),
                          {{"Content-Disposition", "attachment; filename=\"stampede-report.html\""}}};
    });
    server_.route("GET", "/api/stats.csv", [this](const http_request&) {
        return http_reply{200, "text/csv; charset=utf-8", report::stats_csv_text(context_.result),
                          {{"Content-Disposition", "attachment; filename=\"stampede_stats.csv\""}}};
    });
    server_.stream_route("/api/stream", [this] { return stats().dump(-1, ' ', false, json::error_handler_t::replace); });
}

// POST /api/swarm: while the run goes, the users and spawn rate from now on; before it (the
// web UI's mode), the start, which may pick a profile (then the load is the profile's unless
// users or a spawn rate are given too), tags and user classes.
http_reply web_api::swarm(const http_request& r) const {
    const auto now = state();
    if (now != "running" && now != "ready") return json_error(409, "no run is going or ready to start: it is " + now);
    auto asked = read_start_request(r);
    if (!asked) return json_error(400, asked.error());
    const bool load_needed = now == "running" || !asked->profile;
    if (load_needed && !asked->users) return json_error(400, "'users' is missing");
    if (load_needed && !asked->spawn_rate) return json_error(400, "'spawn_rate' is missing");
    if (now == "running") {
        if (asked->profile || asked->tags || asked->exclude_tags || !asked->classes.empty() || asked->run_time)
            return json_error(409, "the run is going: only 'users' and 'spawn_rate' change now");
        context_.steer(*asked->users, *asked->spawn_rate);
        return json_reply({{"state", state()}, {"users", *asked->users}, {"spawn_rate", *asked->spawn_rate}});
    }
    if (auto started = context_.start(*asked); !started) return json_error(400, started.error());
    json answer = {{"state", "starting"}};
    answer["users"] = asked->users ? json(*asked->users) : json(nullptr);
    answer["spawn_rate"] = asked->spawn_rate ? json(*asked->spawn_rate) : json(nullptr);
    if (asked->profile) answer["profile"] = *asked->profile;
    return json_reply(answer);
}

std::string web_api::state() const { return finished_ ? "finished" : context_.phase(); }

// What the status line says, and each endpoint's row: the figures a page polls.
json web_api::stats() const {
    const auto doc = report::figures_document(context_.result);
    const auto status = context_.workers.status();
    json current = nullptr;
    if (!context_.result.history.empty()) {
        const auto& h = context_.result.history.back();
        current = {{"rps", h.current_rps}, {"fps", h.current_fps}, {"p50", h.current_p50_ms}, {"p95", h.current_p95_ms},
                   {"p99", h.current_p99_ms}};
    }
    const bool started = context_.result.start != wall_clock::time_point{};
    return {{"state", state()},
            {"elapsed_s", started ? std::chrono::duration<double>(wall_clock::now() - context_.result.start).count() : 0.0},
            {"users", status.running_users},
            {"workers_active", status.workers_active},
            {"current", current},
            {"totals", doc["totals"]},
            {"endpoints", doc["endpoints"]},
            {"errors", doc["errors"]},
            {"thresholds", doc["thresholds"]}};
}

void web_api::on_interval(const run_result&, const cluster_status&) {
    if (server_.listeners() == 0) return;
    server_.broadcast("interval", stats().dump(-1, ' ', false, json::error_handler_t::replace));
}

void web_api::on_event(const run_result& result, const run_event& event) {
    if (server_.listeners() == 0) return;
    server_.broadcast("event", json{{"time", result.seconds_since_start(event.at)}, {"type", std::string(to_string(event.kind))},
                                    {"detail", event.detail}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

void web_api::on_finish(const run_result&) {
    finished_ = true;
    server_.broadcast("finished", stats().dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace stampede::live
