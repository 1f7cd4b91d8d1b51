// WebSocket steps: `ws: connect | send | receive | receive_until | ping | close`, with the keys each
// takes. Part of the step reader (step_loader.hpp).
#include <algorithm>

#include "scenario/loader/step_loader.hpp"

namespace stampede::lang::detail {

namespace {

constexpr std::pair<std::string_view, ws_step::action> actions[] = {
    {"connect", ws_step::action::connect},   {"send", ws_step::action::send},
    {"receive", ws_step::action::receive},   {"receive_until", ws_step::action::receive_until},
    {"ping", ws_step::action::ping},         {"close", ws_step::action::close}};

// The keys of an HTTP request that mean nothing on a WebSocket, and those only some actions take.
constexpr std::string_view http_only[] = {"method", "jsonrpc", "expect_status", "max_body"};

std::string default_name(ws_step::action what, const text_template& path) {
    switch (what) {
        case ws_step::action::connect: return "connect " + path.source;
        case ws_step::action::send: return "send";
        case ws_step::action::receive: return "receive";
        case ws_step::action::receive_until: return "receive until";
        case ws_step::action::ping: return "ping";
        case ws_step::action::close: return "close";
    }
    return "ws";
}

}  // namespace

void step_reader::read_ws(const YAML::Node& n, const YAML::Node& ws_node, const template_scope& scope, step_spec& step) {
    auto& req = step.request;
    req.method = "WS";
    ws_step ws;
    const auto name = get_string(ws_node, "ws");
    if (!name) return;
    const auto* found = std::find_if(std::begin(actions), std::end(actions), [&](const auto& a) { return a.first == *name; });
    if (found == std::end(actions)) {
        problem(ws_node, "ws must be connect, send, receive, receive_until, ping or close, not '" + *name + "'");
        return;
    }
    ws.what = found->second;
    for (auto key : http_only)
        if (n[std::string(key)]) problem(n[std::string(key)], "'" + std::string(key) + "' has no meaning on a WebSocket step");
    auto only_on = [&](const char* key, bool allowed, const char* which) {
        if (n[key] && !allowed) problem(n[key], std::string("'") + key + "' belongs to " + which);
    };
    using a = ws_step::action;
    only_on("path", ws.what == a::connect, "a 'ws: connect' step");
    only_on("headers", ws.what == a::connect, "a 'ws: connect' step");
    only_on("subprotocol", ws.what == a::connect, "a 'ws: connect' step");
    only_on("json", ws.what == a::send, "a 'ws: send' step");
    only_on("body", ws.what == a::send, "a 'ws: send' step");
    only_on("json_file", ws.what == a::send, "a 'ws: send' step");
    only_on("body_file", ws.what == a::send, "a 'ws: send' step");
    only_on("until", ws.what == a::receive_until, "a 'ws: receive_until' step");
    only_on("max_messages", ws.what == a::receive_until, "a 'ws: receive_until' step");
    const bool receives = ws.what == a::receive || ws.what == a::receive_until;
    only_on("checks", receives, "a step that receives (ws: receive or receive_until)");
    only_on("extract", receives, "a step that receives (ws: receive or receive_until)");

    if (ws.what == a::connect) {
        if (const auto& v = n["path"]) {
            if (auto p = get_path(v, scope)) req.path = std::move(*p);
        } else {
            problem(n, "a 'ws: connect' step has no 'path'");
        }
        if (const auto& v = n["headers"]) req.headers = get_headers(v, scope);
        if (const auto& v = n["subprotocol"]) ws.subprotocol = get_string(v, "subprotocol").value_or("");
    }
    if (ws.what == a::send) {
        if (!read_body(n, scope, req, false))
            problem(n, "a 'ws: send' step needs the message: 'json', 'body', 'json_file' or 'body_file'");
    }
    if (ws.what == a::receive_until) {
        if (const auto& v = n["until"]) ws.until = read_check(v, scope);
        else problem(n, "a 'ws: receive_until' step needs 'until': the check its last message meets");
        if (const auto& v = n["max_messages"])
            ws.max_messages = static_cast<std::uint32_t>(get_int(v, "max_messages", 1, 1'000'000).value_or(ws.max_messages));
    }
    if (const auto& v = n["timeout"]) req.timeout = get_duration(v, "timeout");
    note_template_uses(req);
    if (!n["name"]) step.name = default_name(ws.what, req.path);
    step.ws = std::move(ws);
}

}  // namespace stampede::lang::detail
