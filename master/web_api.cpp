#include "master/web_api.hpp"

#include <chrono>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "master/csv_reporter.hpp"
#include "master/html_reporter.hpp"
#include "master/json_reporter.hpp"
#include "master/report_data.hpp"
#include "master/result_view.hpp"
#include "master/timeline_json.hpp"

namespace stampede::master {

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
    server_.route("GET", "/", [](const http_request&) { return http_reply{200, "text/html; charset=utf-8", render_live_page(), {}}; });
    server_.route("GET", "/api/stats", [this](const http_request&) { return json_reply(stats()); });
    server_.route("GET", "/api/history", [this](const http_request&) {
        return json_reply(timeline_json(context_.result, make_result_view(context_.result)));
    });
    server_.route("GET", "/api/workers", [this](const http_request&) {
        return json_reply({{"workers", workers_json(context_.workers.status())}});
    });
    server_.route("GET", "/api/result", [this](const http_request&) {
        auto doc = result_document(context_.result);
        doc["state"] = state();
        return json_reply(doc);
    });
    server_.route("GET", "/api/report", [this](const http_request&) {
        auto data = make_report_data(result_document(context_.result));
        if (!data) return json_error(500, data.error());
        (*data)["state"] = state();
        // Verdicts come at the end: until then the page lists what will be judged.
        if ((*data)["thresholds"].empty()) (*data)["thresholds_pending"] = context_.scenario.value("thresholds", json::array());
        return json_reply(*data);
    });
    server_.route("GET", "/api/scenario", [this](const http_request&) {
        auto doc = context_.scenario;
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
        auto page = render_html_report(result_document(context_.result));
        if (!page) return json_error(500, page.error());
        return http_reply{200, "text/html; charset=utf-8", std::move(*page),
                          {{"Content-Disposition", "attachment; filename=\"stampede-report.html\""}}};
    });
    server_.route("GET", "/api/stats.csv", [this](const http_request&) {
        return http_reply{200, "text/csv; charset=utf-8", stats_csv_text(context_.result),
                          {{"Content-Disposition", "attachment; filename=\"stampede_stats.csv\""}}};
    });
    server_.stream_route("/api/stream", [this] { return stats().dump(-1, ' ', false, json::error_handler_t::replace); });
}

// POST /api/swarm: the users and spawn rate from now on, as JSON ({"users": 50, "spawn_rate":
// 10}) or as a form (users or user_count, spawn_rate), as Locust's page posts it.
// POST /api/swarm: the users and spawn rate from now on, as JSON ({"users": 50, "spawn_rate":
// 10}) or as a form (users or user_count, spawn_rate), as Locust's page posts it. Before the
// run (the web UI's mode) it starts it, with `run_time` and `user_classes` too.
http_reply web_api::swarm(const http_request& r) const {
    const auto now = state();
    if (now != "running" && now != "ready") return json_error(409, "no run is going or ready to start: it is " + now);
    std::map<std::string, std::string> fields = r.query;
    std::vector<std::string> classes;
    if (r.content_type.starts_with("application/json")) {
        const auto body = json::parse(r.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) return json_error(400, "the body is not a JSON object");
        for (const auto& [key, value] : body.items()) {
            if (key == "user_classes" && value.is_array()) {
                for (const auto& c : value)
                    if (c.is_string()) classes.push_back(c.get<std::string>());
                    else return json_error(400, "'user_classes' is a list of class names");
                continue;
            }
            fields[key] = value.is_number() ? value.dump() : value.is_string() ? value.get<std::string>() : "?";
        }
    } else if (!r.body.empty()) {
        fields.merge(parse_query(r.body));  // a form body reads as a query does
    }
    if (!fields.count("users") && fields.count("user_count")) fields["users"] = fields["user_count"];
    auto number = [&](const char* key, double low, double high) -> common::result<double> {
        const auto it = fields.find(key);
        if (it == fields.end()) return common::fail(std::string("'") + key + "' is missing");
        char* end = nullptr;
        const double v = std::strtod(it->second.c_str(), &end);
        if (it->second.empty() || *end != '\0' || !(v >= low && v <= high))
            return common::fail(fmt::format("'{}' must be a number from {} to {}", key, low, high));
        return v;
    };
    auto users = number("users", 0, 10'000'000);
    if (!users) return json_error(400, users.error());
    if (*users != static_cast<double>(static_cast<long long>(*users))) return json_error(400, "'users' must be a whole number");
    auto rate = number("spawn_rate", 0.001, 1'000'000);
    if (!rate) return json_error(400, rate.error());
    if (now == "running") {
        context_.steer(static_cast<int>(*users), *rate);
        return json_reply({{"state", state()}, {"users", static_cast<int>(*users)}, {"spawn_rate", *rate}});
    }
    start_request start{static_cast<int>(*users), *rate, std::nullopt, std::move(classes)};
    if (const auto it = fields.find("run_time"); it != fields.end() && !it->second.empty()) {
        auto d = common::parse_duration(it->second);
        if (!d || d->count() <= 0) return json_error(400, "'run_time' is a duration such as 90s, 10m or 1h30m: got '" + it->second.substr(0, 40) + "'");
        start.run_time = *d;
    }
    if (auto started = context_.start(start); !started) return json_error(400, started.error());
    return json_reply({{"state", "starting"}, {"users", start.users}, {"spawn_rate", start.spawn_rate}});
}

std::string web_api::state() const { return finished_ ? "finished" : context_.phase(); }

// What the status line says, and each endpoint's row: the figures a page polls.
json web_api::stats() const {
    const auto doc = figures_document(context_.result);
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

}  // namespace stampede::master
