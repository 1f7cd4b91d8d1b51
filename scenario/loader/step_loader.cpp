#include "scenario/loader/step_loader.hpp"

#include <algorithm>
#include <sstream>

#include "scenario/loader/host_loader.hpp"

namespace stampede::lang::detail {

using namespace common;

using nlohmann::json;

namespace {

const keys step_keys = {"name",    "method",    "path",          "headers",   "json",    "body",
                        "jsonrpc", "body_file", "json_file",     "timeout",   "max_body", "expect_status",
                        "checks",  "extract",   "think",         "host",      "ws",       "subprotocol",
                        "until",   "max_messages"};
const keys sequence_keys = {"name", "weight", "tags", "steps", "host"};
const keys methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

keys with(keys a, const keys& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

void add_unique(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more) {
    for (auto v : more)
        if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}

void collect_from_step(const YAML::Node& step, std::vector<std::string>& out) {
    if (!step.IsMap()) return;
    if (const auto& e = step["extract"]; e && e.IsMap())
        for (auto it = e.begin(); it != e.end(); ++it) out.push_back(it->first.Scalar());
    if (const auto& steps = step["steps"]; steps && steps.IsSequence())
        for (const auto& s : steps) collect_from_step(s, out);
}

}  // namespace

void collect_extracted_names(const YAML::Node& class_node, std::vector<std::string>& out) {
    if (!class_node.IsMap()) return;
    for (const char* list : {"on_start", "tasks", "on_stop"}) {
        const auto& steps = class_node[list];
        if (steps && steps.IsSequence())
            for (const auto& s : steps) collect_from_step(s, out);
    }
}

step_reader::host_scope::host_scope(step_reader& reader, const YAML::Node& n)
    : reader_(reader), saved_(reader.enclosing_host_) {
    if (!n) return;
    if (auto host = find_host(reader, n, reader.sc_.hosts)) reader.enclosing_host_ = *host;
}

task_spec step_reader::read_task(const YAML::Node& n, const template_scope& scope) {
    task_spec task;
    task.line = n.Mark().line + 1;
    if (!expect_map(n, "a task")) return task;
    const bool sequence = static_cast<bool>(n["steps"]);
    if (sequence) check_keys(n, sequence_keys, "task with steps (its requests go inside 'steps')");
    if (const auto& v = n["weight"]) task.weight = static_cast<int>(get_int(v, "weight", 1, 1'000'000).value_or(1));
    if (const auto& v = n["tags"]) {
        if (!v.IsSequence()) problem(v, "tags must be a list, such as [read, state]");
        else
            for (const auto& t : v)
                if (auto s = get_string(t, "tag")) task.tags.insert(*s);
    }
    if (sequence) {
        const host_scope in_host(*this, n["host"]);
        task.steps = read_steps(n["steps"], "steps", scope);
        if (const auto& v = n["name"]) task.name = get_string(v, "name").value_or("");
        if (task.name.empty()) task.name = "sequence at line " + std::to_string(task.line);
    } else {
        task.steps.push_back(read_step(n, scope, true));
        task.name = task.steps.back().name;
    }
    return task;
}

std::vector<step_spec> step_reader::read_steps(const YAML::Node& n, std::string_view what, const template_scope& scope) {
    std::vector<step_spec> out;
    if (!n.IsSequence() || n.size() == 0) {
        problem(n, std::string(what) + " must be a non-empty list of steps");
        return out;
    }
    for (const auto& s : n) {
        if (expect_map(s, "a step")) out.push_back(read_step(s, scope, false));
    }
    return out;
}

step_spec step_reader::read_step(const YAML::Node& n, const template_scope& scope, bool allow_task_keys) {
    step_spec step;
    step.line = n.Mark().line + 1;
    check_keys(n, allow_task_keys ? with(step_keys, {"weight", "tags"}) : step_keys, allow_task_keys ? "task" : "step");
    if (const auto& ws = n["ws"]) read_ws(n, ws, scope, step);
    else read_request(n, scope, step, allow_task_keys ? "a task" : "a step");
    for (const char* key : {"subprotocol", "until", "max_messages"})
        if (!n["ws"] && n[key]) problem(n[key], std::string("'") + key + "' belongs to a WebSocket step (ws: ...)");
    step.host = enclosing_host_;
    if (const auto& v = n["host"])
        if (auto host = find_host(*this, v, sc_.hosts)) step.host = *host;
    if (const auto& v = n["name"]) step.name = get_string(v, "name").value_or("");
    if (step.name.empty()) step.name = step.request.path.source;
    if (const auto& v = n["think"]) step.think = get_wait(v, "think", false);
    if (const auto& v = n["checks"]) {
        if (!v.IsSequence()) problem(v, "checks must be a list, such as [{json: result.answer}]");
        else
            for (const auto& c : v)
                if (auto check = read_check(c, scope)) step.checks.push_back(std::move(*check));
    }
    if (const auto& v = n["extract"]) {
        if (expect_map(v, "extract"))
            for (auto it = v.begin(); it != v.end(); ++it)
                if (auto e = read_extract(it->first.Scalar(), it->second)) step.extracts.push_back(std::move(*e));
    }
    for (const auto& c : step.checks) add_unique(step.request.variables, c.expected.text.variables());
    if (step.ws && step.ws->until) add_unique(step.request.variables, step.ws->until->expected.text.variables());
    return step;
}

// A JSON-RPC 2.0 call: the envelope built once, its params templated, its id a counter.
void step_reader::read_jsonrpc(const YAML::Node& n, const YAML::Node& rpc, const template_scope& scope, step_spec& step) {
    auto& req = step.request;
    check_keys(rpc, {"method", "params"}, "jsonrpc");
    std::vector<text_template> leaves;
    json envelope = {{"jsonrpc", "2.0"}};
    if (const auto& m = rpc["method"]) {
        if (auto name = get_string(m, "jsonrpc.method")) {
            envelope["method"] = *name;
            if (!n["name"]) step.name = *name;
        }
    } else {
        problem(rpc, "jsonrpc needs a 'method'");
    }
    if (const auto& p = rpc["params"]) {
        if (auto params = to_json(p, &scope, &leaves)) envelope["params"] = std::move(*params);
    }
    std::vector<template_error> ignored;  // a fixed, valid expression
    leaves.push_back(compile_template("{{ counter() }}", scope, ignored));
    envelope["id"] = json_marker(leaves.size() - 1);
    req.body = body_from_json(envelope, leaves);
    req.content_type = "application/json";
    req.jsonrpc = true;
}

void step_reader::read_request(const YAML::Node& n, const template_scope& scope, step_spec& step, std::string_view what) {
    auto& req = step.request;
    const auto& rpc = n["jsonrpc"];
    if (rpc) req.method = "POST";
    if (const auto& v = n["method"]) {
        if (auto m = get_string(v, "method")) {
            std::string upper = *m;
            std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
            if (std::find(methods.begin(), methods.end(), upper) == methods.end())
                problem(v, "unknown method '" + *m + "' (use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)");
            req.method = upper;
        }
    }
    if (const auto& v = n["path"]) {
        if (auto p = get_path(v, scope)) req.path = std::move(*p);
    } else {
        problem(n, std::string(what) + " has no 'path'");
    }
    if (const auto& v = n["headers"]) req.headers = get_headers(v, scope);
    const bool given = read_body(n, scope, req, true);
    if (!given && rpc && expect_map(rpc, "jsonrpc")) {
        read_jsonrpc(n, rpc, scope, step);
    }
    if (const auto& v = n["expect_status"]) req.expect_status = get_statuses(v, "expect_status").value_or(std::vector<int>{});
    if (const auto& v = n["timeout"]) req.timeout = get_duration(v, "timeout");
    if (const auto& v = n["max_body"]) req.max_body = get_body_limit(v, "max_body");
    note_template_uses(req);
}

bool step_reader::read_body(const YAML::Node& n, const template_scope& scope, request_spec& req, bool http) {
    // The second body key as written is the one in the way.
    int given = 0;
    for (auto it = n.begin(); it != n.end(); ++it) {
        const auto& key = it->first.Scalar();
        if (key != "json" && key != "body" && key != "json_file" && key != "body_file" && !(http && key == "jsonrpc")) continue;
        if (++given == 2)
            problem(it->second, http ? "a request has one of 'json', 'body', 'json_file', 'body_file' or 'jsonrpc', not several"
                                    : "a message has one of 'json', 'body', 'json_file' or 'body_file', not several");
    }
    if (given > 1) return true;
    std::optional<text_template> body;
    bool json_body = false;
    if (const auto& v = n["json"]) body = get_json_body(v, scope), json_body = true;
    else if (const auto& v = n["body"]) body = get_template(v, "body", scope);
    else if (const auto& v = n["json_file"]) body = read_json_file(v, scope), json_body = true;
    else if (const auto& v = n["body_file"]) body = read_body_file(v, scope);
    else return false;
    if (body) {
        req.body = std::move(*body);
        if (json_body) req.content_type = "application/json";
    }
    return true;
}

void note_template_uses(request_spec& req) {
    add_unique(req.variables, req.path.variables());
    add_unique(req.variables, req.body.variables());
    add_unique(req.data_sets, req.path.data_sets());
    add_unique(req.data_sets, req.body.data_sets());
    for (const auto& [name, value] : req.headers) {
        add_unique(req.variables, value.variables());
        add_unique(req.data_sets, value.data_sets());
    }
}

// The value after a predicate key: typed from YAML for equals, a number for orderings, a
// regular expression for matches, templated text otherwise.
}  // namespace stampede::lang::detail
