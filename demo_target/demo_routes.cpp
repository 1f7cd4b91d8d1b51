#include "demo_target/demo_routes.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/duration.hpp"

namespace stampede::demo {

using nlohmann::json;
using std::chrono::microseconds;

namespace {

constexpr std::array<std::string_view, route_count> names = {"state",  "workflow", "jsonrpc", "training",    "health",
                                                               "ok",     "events",   "chat",    "completions", "not_found"};

demo_response json_response(int status, const json& body) { return {status, body.dump()}; }

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

route classify(std::string_view path) {
    if (starts_with(path, "/v1/opscore/agent/")) {
        return path.ends_with("/workflow") ? route::workflow : route::state;
    }
    if (path == "/api/v1/jsonrpc") return route::jsonrpc;
    if (starts_with(path, "/api/v1/training/jobs")) return route::training;
    if (path == "/health" || path == "/api/v1/health") return route::health;
    if (path == "/ok") return route::ok;
    if (path == "/api/v1/events" || starts_with(path, "/api/v1/events/")) return route::events;
    if (path == "/api/v1/orchestrator/chat") return route::chat;
    if (path == "/v1/chat/completions") return route::completions;
    return route::not_found;
}

}  // namespace

std::string_view route_name(route r) { return names[static_cast<std::size_t>(r)]; }

std::optional<route> route_from_name(std::string_view name) {
    for (std::size_t i = 0; i + 1 < route_count; ++i)
        if (names[i] == name) return static_cast<route>(i);
    return std::nullopt;
}

common::result<latency_spec> parse_latency(std::string_view text) {
    latency_spec spec;
    std::string_view median = text;
    if (starts_with(text, "lognormal:")) {
        median = text.substr(10);
        spec.sigma = 0.5;
        if (auto colon = median.find(':'); colon != std::string_view::npos) {
            spec.sigma = std::atof(std::string(median.substr(colon + 1)).c_str());
            median = median.substr(0, colon);
            if (!(spec.sigma > 0 && spec.sigma < 5)) return common::fail("lognormal sigma must be between 0 and 5");
        }
    }
    auto d = common::parse_duration(median);
    if (!d) return d.why();
    spec.median = *d;
    return spec;
}

demo_service::demo_service(demo_config config)
    : config_(std::move(config)), random_(config_.seed), chat_(config_.ws_delay, config_.ws_stream_interval),
      completions_(config_.completions, config_.seed + 1), metrics_(config_.cache_hit_ratio),
      leak_(config_.leak_per_second > 0 ? std::make_unique<memory_leak>(config_.leak_per_second, config_.leak_limit) : nullptr) {}

std::uint64_t demo_service::served() const {
    std::uint64_t total = 0;
    for (const auto& n : served_) total += n.load(std::memory_order_relaxed);
    return total + unauthorized_.load(std::memory_order_relaxed);
}

microseconds demo_service::draw_latency(route r) {
    const auto& spec = config_.latency[static_cast<std::size_t>(r)];
    if (spec.sigma == 0.0) return spec.median;
    std::lock_guard lock(mutex_);
    std::lognormal_distribution<double> dist(std::log(static_cast<double>(spec.median.count())), spec.sigma);
    return microseconds(static_cast<long long>(dist(random_)));
}

bool demo_service::draw_error(route r) {
    const double rate = config_.error_rate[static_cast<std::size_t>(r)];
    if (rate <= 0) return false;
    std::lock_guard lock(mutex_);
    return std::uniform_real_distribution<double>(0, 1)(random_) < rate;
}

demo_response demo_service::handle(const demo_request& request) {
    const int in_flight = in_flight_.fetch_add(1, std::memory_order_relaxed) + 1;
    const auto path = request.target.substr(0, request.target.find('?'));
    if (path == "/__stats") return stats();  // neither is counted as served
    if (path == "/metrics") return metrics();
    if (listener_served_ && request.listener < listener_ports_.size())
        listener_served_[request.listener].fetch_add(1, std::memory_order_relaxed);
    return answer(request, path, in_flight);
}

// Past the capacity, a request waits longer: what a load's breaking point is found against.
std::chrono::microseconds demo_service::overload_wait(int in_flight) {
    if (config_.capacity <= 0 || in_flight <= config_.capacity) return std::chrono::microseconds(0);
    overloaded_.fetch_add(1, std::memory_order_relaxed);
    return config_.overload_latency;
}

demo_response demo_service::answer(const demo_request& request, std::string_view path, int in_flight) {
    if (!config_.api_key.empty() && request.api_key != config_.api_key) {
        unauthorized_.fetch_add(1, std::memory_order_relaxed);
        auto refused = json_response(401, {{"error", "missing or wrong API key"}});
        refused.delay = overload_wait(in_flight);
        return refused;
    }
    const route r = classify(path);
    served_[static_cast<std::size_t>(r)].fetch_add(1, std::memory_order_relaxed);
    const auto delay = draw_latency(r) + stall_left(r) + overload_wait(in_flight);
    metrics_.observe(r, delay);
    const bool solving = r == route::jsonrpc;
    if (solving) active_solves_.fetch_add(1, std::memory_order_relaxed);
    auto response = draw_error(r) ? json_response(500, {{"error", "injected failure"}}) : dispatch(r, request, path);
    response.delay = delay;
    response.solving = solving;
    return response;
}

std::chrono::microseconds demo_service::stall_left(route r) const {
    const auto& stall = config_.stall[static_cast<std::size_t>(r)];
    if (stall.every.count() <= 0) return std::chrono::microseconds(0);
    const auto since = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
    const auto into = since % stall.every;  // stalls begin at every whole period
    return into < stall.length ? stall.length - into : std::chrono::microseconds(0);
}

common::result<stall_spec> parse_stall(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return common::fail("a stall is EVERY:LENGTH, such as 3s:1s");
    auto every = common::parse_duration(text.substr(0, colon));
    auto length = common::parse_duration(text.substr(colon + 1));
    if (!every || !length) return common::fail("a stall is EVERY:LENGTH with durations, such as 3s:1s");
    if (every->count() <= 0 || *length >= *every) return common::fail("a stall is shorter than its period");
    return stall_spec{*every, *length};
}

demo_response demo_service::dispatch(route r, const demo_request& request, std::string_view path) {
    switch (r) {
        case route::state:
        case route::workflow: return agent(request, path);
        case route::jsonrpc: return solve(request);
        case route::training: return training(request, path);
        case route::health: return json_response(200, {{"status", "ok"}});
        case route::ok: return {200, "ok", "text/plain"};
        case route::events: return events(request, path);
        case route::chat: return chat(request);
        case route::completions: return completion(request);
        default: return json_response(404, {{"error", "no such route"}, {"path", std::string(path)}});
    }
}

// POST /v1/chat/completions: a whole answer after its time, or a stream the server writes piece by piece.
demo_response demo_service::completion(const demo_request& request) {
    if (request.method != "POST") return json_response(405, {{"error", "POST a chat completion"}});
    auto planned = completions_.answer(request.body);
    demo_response out{planned.status, std::move(planned.body)};
    out.delay = planned.delay;
    if (planned.pieces.empty()) return out;
    out.content_type = "text/event-stream";
    out.pieces = std::move(planned.pieces);
    out.cut = planned.cut;
    return out;
}

// /v1/opscore/agent/{id}/state (GET, POST) and /v1/opscore/agent/{id}/workflow (POST).
demo_response demo_service::agent(const demo_request& request, std::string_view path) {
    auto rest = path.substr(std::string_view("/v1/opscore/agent/").size());
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    const auto action = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    std::lock_guard lock(mutex_);
    if (action == "workflow" && request.method == "POST") {
        return json_response(202, {{"workflow_id", "wf-" + std::to_string(++next_workflow_)},
                                   {"agent_id", id}, {"status", "started"}});
    }
    if (action != "state") return json_response(404, {{"error", "no such agent action"}});
    auto& [body, version] = agent_state_[id];
    if (request.method == "POST" || request.method == "PUT") {
        body = std::string(request.body);
        ++version;
        return json_response(200, {{"agent_id", id}, {"status", "updated"}, {"version", version}});
    }
    if (request.method != "GET") return json_response(405, {{"error", "method not allowed"}});
    json state = json::parse(body.empty() ? "{}" : body, nullptr, false);
    if (state.is_discarded()) state = body;
    return json_response(200, {{"agent_id", id}, {"state", state}, {"version", version}});
}

demo_response demo_service::solve(const demo_request& request) {
    const json call = json::parse(request.body, nullptr, false);
    const json id = call.is_object() && call.contains("id") ? call["id"] : json(nullptr);
    auto error = [&](int code, const char* message) {
        return json_response(200, {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
    };
    if (!call.is_object()) return error(-32700, "parse error");
    if (call.value("method", "") != "modular.solve") return error(-32601, "method not found");
    const auto& params = call.contains("params") ? call["params"] : json::object();
    const std::string query = params.is_object() ? params.value("query", "") : "";
    if (params.is_object() && params.contains("complexity") && params["complexity"].is_string()) {
        std::lock_guard lock(mutex_);
        ++solves_by_complexity_[params["complexity"].get<std::string>()];
    }
    const json result = {
        {"answer", query.empty() ? "42" : "solved: " + query},
        {"execution_trace", {{"verification_passed", true}, {"steps", 1 + query.size() % 7}}},
    };
    return json_response(200, {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

// POST /api/v1/events publishes, GET /api/v1/events?topic=T queries, POST
// /api/v1/events/{id}/ack acknowledges: the event bus.
demo_response demo_service::events(const demo_request& request, std::string_view path) {
    auto reply = [](bus_answer a) { return demo_response{a.status, std::move(a.body)}; };
    if (path == "/api/v1/events") {
        if (request.method == "POST") return reply(bus_.publish(request.body));
        if (request.method == "GET") {
            const auto q = request.target.find('?');
            return reply(bus_.query(q == std::string_view::npos ? std::string_view() : request.target.substr(q + 1)));
        }
        return json_response(405, {{"error", "method not allowed"}});
    }
    auto rest = path.substr(std::string_view("/api/v1/events/").size());
    if (!rest.ends_with("/ack") || request.method != "POST") return json_response(404, {{"error", "no such event action"}});
    return reply(bus_.acknowledge(rest.substr(0, rest.size() - 4)));
}

// POST /api/v1/orchestrator/chat {"message": ...}: the orchestrator's reply, numbered.
demo_response demo_service::chat(const demo_request& request) {
    if (request.method != "POST") return json_response(405, {{"error", "method not allowed"}});
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("message") || !body["message"].is_string())
        return json_response(400, {{"error", "a JSON object with a \"message\" text is required"}});
    const auto turn = chat_turns_.fetch_add(1, std::memory_order_relaxed) + 1;
    const auto& message = body["message"].get_ref<const std::string&>();
    return json_response(200, {{"agent", "orchestrator"}, {"turn", turn},
                               {"reply", "routed: " + message.substr(0, 200)}, {"done", true}});
}

// POST /api/v1/training/jobs starts a job; GET .../jobs/{id} is its status;
// POST .../jobs/{id}/export and POST .../jobs/{id}/cancel act on it.
demo_response demo_service::training(const demo_request& request, std::string_view path) {
    auto rest = path.substr(std::string_view("/api/v1/training/jobs").size());
    std::lock_guard lock(mutex_);
    if (rest.empty() || rest == "/") {
        if (request.method != "POST") return json_response(405, {{"error", "method not allowed"}});
        const auto id = "job-" + std::to_string(++next_job_);
        jobs_[id] = "running";
        return json_response(201, {{"job_id", id}, {"status", "running"}});
    }
    rest.remove_prefix(1);
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    const auto action = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    ++job_lookups_;
    auto job = jobs_.find(id);
    if (job == jobs_.end()) {
        ++unknown_job_lookups_;
        return json_response(404, {{"error", "unknown job"}, {"job_id", id}});
    }
    if (action.empty() && request.method == "GET") return json_response(200, {{"job_id", id}, {"status", job->second}});
    if (action == "export" && request.method == "POST")
        return json_response(200, {{"job_id", id}, {"export_url", "/exports/" + id + ".tar"}});
    if (action == "cancel" && request.method == "POST") {
        job->second = "cancelled";
        return json_response(200, {{"job_id", id}, {"status", "cancelled"}});
    }
    return json_response(405, {{"error", "unsupported action"}});
}

void demo_service::set_listeners(const std::vector<std::uint16_t>& ports) {
    listener_ports_ = ports;
    listener_served_ = std::make_unique<std::atomic<std::uint64_t>[]>(ports.size());
}

demo_response demo_service::metrics() const {
    demo_response out{200, metrics_.render(served_, {in_flight_.load(std::memory_order_relaxed),
                                                     active_solves_.load(std::memory_order_relaxed)},
                                           leak_ ? leak_->leaked() : 0)};
    out.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return out;
}

demo_response demo_service::stats() const {
    json routes = json::object();
    for (std::size_t i = 0; i < route_count; ++i)
        routes[std::string(names[i])] = served_[i].load(std::memory_order_relaxed);
    json listeners = json::array();
    for (std::size_t i = 0; i < listener_ports_.size(); ++i)
        listeners.push_back({{"port", listener_ports_[i]}, {"served", listener_served_[i].load(std::memory_order_relaxed)}});
    std::lock_guard lock(mutex_);
    return json_response(200, {{"served", served()},
                               {"routes", routes},
                               {"listeners", listeners},
                               {"tls", {{"handshakes", tls_handshakes_.load(std::memory_order_relaxed)},
                                        {"resumed", tls_resumed_.load(std::memory_order_relaxed)},
                                        {"failed", tls_handshake_failures_.load(std::memory_order_relaxed)}}},
                               {"unauthorized", unauthorized_.load(std::memory_order_relaxed)},
                               {"overloaded", overloaded_.load(std::memory_order_relaxed)},
                               {"jobs_started", next_job_},
                               {"job_lookups", job_lookups_},
                               {"unknown_job_lookups", unknown_job_lookups_},
                               {"workflows_started", next_workflow_},
                               {"solves_by_complexity", solves_by_complexity_},
                               {"agents", agent_state_.size()},
                               {"events", json::parse(bus_.stats_json())},
                               {"websocket", json::parse(chat_.stats_json())},
                               {"chat_turns", chat_turns_.load(std::memory_order_relaxed)},
                               {"completions", completions_.stats()}});
}

}  // namespace stampede::demo
