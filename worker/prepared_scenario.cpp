#include "worker/prepared_scenario.hpp"

#include <algorithm>

#include <sstream>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "worker/tls_client.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

using header_templates = std::vector<std::pair<std::string, const lang::text_template*>>;

namespace {

http::verb to_verb(const std::string& method) {
    const auto verb = http::string_to_verb(method);
    return verb == http::verb::unknown ? http::verb::get : verb;
}

// Scenario, host, class, then request headers: the nearest wins (names compare without case).
header_templates merge_headers(const lang::scenario& sc, const lang::host_spec& host, const lang::user_class_spec& cls,
                               const lang::request_spec& spec) {
    header_templates out;
    auto add = [&](const lang::template_headers& list) {
        for (const auto& header : list) {
            auto same = [&](const auto& h) { return beast::iequals(h.first, header.first); };
            std::erase_if(out, same);
            out.emplace_back(header.first, &header.second);
        }
    };
    add(sc.headers);
    add(host.headers);
    add(cls.headers);
    add(spec.headers);
    return out;
}

// The request's bytes on the wire: written once per constant step, so sending is one
// gather-free write of a ready buffer (Beast's serializer costs more than the write itself).
std::string serialize(const http::request<http::string_body>& req) {
    std::ostringstream out;
    out << req;
    return out.str();
}

// Which steps look at what they receive: checks and extractions (and a JSON-RPC response).
void mark_inspection(const lang::step_spec& step, prepared_step& out) {
    out.inspects = !step.checks.empty() || !step.extracts.empty() || step.request.jsonrpc;
    out.keeps_response = !step.extracts.empty() || step.request.jsonrpc ||
                         std::any_of(step.checks.begin(), step.checks.end(), [](const lang::check_spec& c) {
                             return c.what != lang::check_spec::subject::status &&
                                    c.what != lang::check_spec::subject::latency;
                         });
}

// A WebSocket step: a connect's headers, a send's message when constant.
void prepare_ws_step(const lang::scenario& sc, const lang::user_class_spec& cls, const lang::step_spec& step,
                     prepared_step& out) {
    const auto& spec = step.request;
    for (const auto& [name, value] : merge_headers(sc, sc.hosts[step.host], cls, spec)) {
        if (value->constant()) out.ws_headers.emplace_back(name, value->text());
        else out.templated_headers.push_back({name, value, value->variables()});
    }
    out.constant = spec.path.constant() && spec.body.constant() && out.templated_headers.empty();
    if (spec.body.constant()) out.wire = spec.body.text();
    mark_inspection(step, out);
}

prepared_step prepare_step(const lang::scenario& sc, const lang::user_class_spec& cls, const lang::step_spec& step) {
    const auto& spec = step.request;
    const auto& host = sc.hosts[step.host];
    prepared_step out;
    out.spec = &step;
    out.target = step.host;
    out.timeout = spec.timeout.value_or(sc.default_timeout);
    out.max_body = spec.max_body.value_or(sc.default_max_body);
    if (step.ws) {
        prepare_ws_step(sc, cls, step, out);
        return out;
    }
    http::request<http::string_body> req;
    req.method(to_verb(spec.method));
    req.version(11);
    req.set(http::field::host, host.url->authority());
    req.set(http::field::user_agent, "stampede/" STAMPEDE_VERSION);
    if (!spec.content_type.empty()) req.set(http::field::content_type, spec.content_type);
    for (const auto& [name, value] : merge_headers(sc, host, cls, spec)) {
        if (value->constant()) req.set(name, value->text());
        else out.templated_headers.push_back({name, value, value->variables()});
    }
    req.keep_alive(true);
    out.constant = spec.path.constant() && spec.body.constant() && out.templated_headers.empty();
    if (spec.path.constant()) req.target(host.url->base_path + spec.path.text());
    if (spec.body.constant()) {
        req.body() = spec.body.text();
        req.prepare_payload();
    }
    out.head = req.method() == http::verb::head;
    if (out.constant) {
        out.wire = serialize(req);
    } else {
        for (const auto& field : req) out.header_lines.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
    }
    mark_inspection(step, out);
    return out;
}

std::vector<prepared_step> prepare_steps(const lang::scenario& sc, const lang::user_class_spec& cls,
                                         const std::vector<lang::step_spec>& steps) {
    std::vector<prepared_step> out;
    for (const auto& step : steps) out.push_back(prepare_step(sc, cls, step));
    return out;
}

template <typename F>
void for_each_step(prepared_class& c, F f) {
    for (auto& step : c.on_start) f(step);
    for (auto& task : c.tasks)
        for (auto& step : task.steps) f(step);
    for (auto& step : c.on_stop) f(step);
}

// The endpoints open-model classes call record uncorrected latencies too, from every class.
void mark_open_endpoints(prepared_scenario& p) {
    std::vector<bool> open(p.sc->endpoints.size(), false);
    for (auto& c : p.classes)
        if (c.spec->arrivals) for_each_step(c, [&](prepared_step& s) { open[s.spec->endpoint_id] = true; });
    for (auto& c : p.classes)
        for_each_step(c, [&](prepared_step& s) { s.records_uncorrected = open[s.spec->endpoint_id]; });
}

// One target per host, indexed alike; only the hosts some step sends to are resolved (a host
// that --tags left unused need not exist), and given a TLS context when they are https://.
common::result<void> prepare_targets(prepared_scenario& p) {
    std::vector<bool> used(p.sc->hosts.size(), false);
    for (auto& c : p.classes)
        for_each_step(c, [&](prepared_step& s) {
            used[s.target] = true;
            auto& list = s.spec->ws ? c.ws_targets : c.targets;
            if (std::find(list.begin(), list.end(), s.target) == list.end()) list.push_back(s.target);
        });
    asio::io_context io;
    tcp::resolver resolver(io);
    for (std::size_t i = 0; i < p.sc->hosts.size(); ++i) {
        const auto& host = p.sc->hosts[i];
        resolved_host t{host.name, host.url.value_or(lang::base_url{}), {}, nullptr};
        if (used[i]) {
            beast::error_code ec;
            t.addresses = resolver.resolve(t.url.host, t.url.port, ec);
            // The scenario's one host goes unnamed, as it was written: `host: URL`.
            const auto which = i == 0 ? std::string() : "host '" + host.name + "': ";
            if (ec) return common::fail(which + "cannot resolve " + (i == 0 ? "host " : "") + "'" + t.url.host + "': " + ec.message());
            if (t.url.tls()) {
                auto tls = make_tls_client(host.tls, t.url.host);
                if (!tls) return common::fail(which + tls.error());
                t.tls = std::move(*tls);
            }
        }
        p.targets.push_back(std::move(t));
    }
    return {};
}

}  // namespace

common::result<std::shared_ptr<const prepared_scenario>> prepare_scenario(const lang::scenario& sc) {
    auto out = std::make_shared<prepared_scenario>();
    out->sc = &sc;
    out->stateful = !sc.variables.empty() || !sc.data.empty();
    out->data_cursors = std::make_unique<std::atomic<std::uint64_t>[]>(sc.data.size());
    for (const auto& cls : sc.user_classes) {
        prepared_class pc;
        pc.spec = &cls;
        std::uint64_t sum = 0;
        for (const auto& task : cls.tasks) {
            pc.tasks.push_back({prepare_steps(sc, cls, task.steps)});
            pc.cumulative_weight.push_back(sum += static_cast<std::uint64_t>(task.weight));
        }
        pc.on_start = prepare_steps(sc, cls, cls.on_start);
        pc.on_stop = prepare_steps(sc, cls, cls.on_stop);
        out->classes.push_back(std::move(pc));
    }
    mark_open_endpoints(*out);
    if (auto targets = prepare_targets(*out); !targets) return targets.why();
    return std::shared_ptr<const prepared_scenario>(std::move(out));
}

}  // namespace stampede::worker
