#include "scenario/step_loader.hpp"

#include <algorithm>
#include <sstream>

namespace stampede::lang::detail {

using namespace common;

using nlohmann::json;

namespace {

const keys step_keys = {"name",    "method",  "path",          "headers", "json",    "body",  "jsonrpc",
                        "timeout", "max_body", "expect_status", "checks", "extract", "think"};
const keys sequence_keys = {"name", "weight", "tags", "steps"};
const keys check_keys_all = {"status", "json",   "body_contains", "body_matches", "header", "latency_below",
                             "exists", "equals", "not_equals",    "lt",           "lte",    "gt",
                             "gte",    "matches", "contains",     "soft",         "name"};
const keys json_predicates = {"exists", "equals", "not_equals", "lt", "lte", "gt", "gte", "matches", "contains"};
const keys header_predicates = {"exists", "equals", "not_equals", "contains", "matches"};
const keys check_subjects = {"status", "json", "body_contains", "body_matches", "header", "latency_below"};
const keys methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

keys with(keys a, const keys& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

void add_unique(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more) {
    for (auto v : more)
        if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}

std::string_view symbol(check_spec::predicate how) {
    using p = check_spec::predicate;
    switch (how) {
        case p::equals: return "==";
        case p::not_equals: return "!=";
        case p::less: return "<";
        case p::less_equal: return "<=";
        case p::greater: return ">";
        case p::greater_equal: return ">=";
        case p::matches: return "matches";
        case p::contains: return "contains";
        case p::exists: return "exists";
        case p::absent: return "is absent";
        default: return "";
    }
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
    read_request(n, scope, step, allow_task_keys ? "a task" : "a step");
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
    return step;
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
        if (auto p = get_template(v, "path", scope)) {
            if (p->source.empty() || p->source.front() != '/') problem(v, "path must start with '/'");
            req.path = std::move(*p);
        }
    } else {
        problem(n, std::string(what) + " has no 'path'");
    }
    if (const auto& v = n["headers"]) req.headers = get_headers(v, scope);
    const auto& json_node = n["json"];
    const auto& body_node = n["body"];
    if ((json_node ? 1 : 0) + (body_node ? 1 : 0) + (rpc ? 1 : 0) > 1)
        problem(rpc ? rpc : body_node, "a request has one of 'json', 'body' or 'jsonrpc', not several");
    if (json_node) {
        if (auto body = get_json_body(json_node, scope)) req.body = std::move(*body), req.content_type = "application/json";
    } else if (body_node) {
        if (auto body = get_template(body_node, "body", scope)) req.body = std::move(*body);
    } else if (rpc && expect_map(rpc, "jsonrpc")) {
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
    if (const auto& v = n["expect_status"]) req.expect_status = get_statuses(v, "expect_status").value_or(std::vector<int>{});
    if (const auto& v = n["timeout"]) req.timeout = get_duration(v, "timeout");
    if (const auto& v = n["max_body"]) req.max_body = get_body_limit(v, "max_body");
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
bool step_reader::read_predicate(const YAML::Node& n, const template_scope& scope, check_spec& c, const keys& allowed) {
    using p = check_spec::predicate;
    bool found = false;
    std::string key;
    for (auto k : allowed) {
        if (const auto& v = n[std::string(k)]) {
            if (found) {
                problem(v, "a check tests one thing: '" + key + "' and '" + std::string(k) + "' are both given");
                return false;
            }
            found = true;
            key = std::string(k);
        }
    }
    if (!found) {
        c.how = p::exists;
        return true;
    }
    const YAML::Node v = n[key];
    if (key == "exists") {
        auto b = get_bool(v, "exists");
        c.how = b.value_or(true) ? p::exists : p::absent;
        return b.has_value();
    }
    if (key == "lt" || key == "lte" || key == "gt" || key == "gte") {
        c.how = key == "lt" ? p::less : key == "lte" ? p::less_equal : key == "gt" ? p::greater : p::greater_equal;
        double number = 0;
        if (!v.IsScalar() || !YAML::convert<double>::decode(v, number)) {
            problem(v, key + " must be a number");
            return false;
        }
        c.expected.type = expected_value::kind::number;
        c.expected.number = number;
        return true;
    }
    if (key == "matches") {
        c.how = p::matches;
        auto pattern = get_string(v, "matches");
        if (!pattern) return false;
        std::string error;
        c.regex = compile_regex(*pattern, &error);
        if (!c.regex) problem(v, error);
        c.expected.text.source = *pattern;
        return c.regex != nullptr;
    }
    c.how = key == "equals" ? p::equals : key == "not_equals" ? p::not_equals : p::contains;
    if (!v.IsScalar()) {
        problem(v, key + " must be a single value (text, number, true, false or null)");
        return false;
    }
    const auto& s = v.Scalar();
    const bool plain = v.Tag() == "?";
    double number = 0;
    if (c.how != p::contains && plain && (s == "true" || s == "false")) {
        c.expected.type = expected_value::kind::boolean;
        c.expected.boolean = s == "true";
    } else if (c.how != p::contains && plain && (s == "null" || s == "~")) {
        c.expected.type = expected_value::kind::null;
    } else if (c.how != p::contains && plain && YAML::convert<double>::decode(v, number) &&
               s.find_first_of("0123456789") != std::string::npos) {
        c.expected.type = expected_value::kind::number;
        c.expected.number = number;
    } else {
        c.expected.type = expected_value::kind::text;
    }
    c.expected.text = compile(v, s, scope);
    return true;
}

std::optional<check_spec> step_reader::read_check(const YAML::Node& n, const template_scope& scope) {
    using s = check_spec::subject;
    if (!expect_map(n, "a check")) return std::nullopt;
    check_keys(n, check_keys_all, "check");
    std::vector<std::string> subjects;
    for (auto k : check_subjects)
        if (n[std::string(k)]) subjects.emplace_back(k);
    if (subjects.size() != 1) {
        problem(n, subjects.empty() ? "a check needs one of: status, json, body_contains, body_matches, header, latency_below"
                                    : "a check tests one thing: '" + subjects[0] + "' and '" + subjects[1] + "' are both given");
        return std::nullopt;
    }
    check_spec c;
    const auto& key = subjects[0];
    const auto v = n[key];
    bool ok = true;
    std::string description;
    auto no_predicates = [&](const keys& others) {
        for (auto k : others)
            if (n[std::string(k)]) {
                problem(n[std::string(k)], "'" + std::string(k) + "' does not apply to a " + key + " check");
                ok = false;
            }
    };
    if (key == "status") {
        c.what = s::status;
        c.how = check_spec::predicate::status_in;
        no_predicates(json_predicates);
        auto statuses = get_statuses(v, "status");
        ok = statuses.has_value();
        c.statuses = statuses.value_or(std::vector<int>{});
        description = "status";
        for (int code : c.statuses) description += (description == "status" ? " " : " or ") + std::to_string(code);
    } else if (key == "json") {
        c.what = s::json;
        auto text = get_string(v, "json");
        std::string error;
        auto path = text ? parse_json_path(*text, &error) : std::nullopt;
        if (!path) {
            if (text) problem(v, error);
            ok = false;
        } else {
            c.path = std::move(*path);
        }
        ok = read_predicate(n, scope, c, json_predicates) && ok;
        description = "json " + c.path.source + " " + std::string(symbol(c.how));
        if (c.how != check_spec::predicate::exists && c.how != check_spec::predicate::absent)
            description += " " + (c.how == check_spec::predicate::matches ? "'" + c.expected.text.source + "'" : c.expected.display());
    } else if (key == "body_contains" || key == "body_matches") {
        c.what = s::body;
        no_predicates(json_predicates);
        if (key == "body_contains") {
            c.how = check_spec::predicate::contains;
            if (auto t = get_template(v, key, scope)) c.expected.text = std::move(*t);
            else ok = false;
            description = "body contains '" + c.expected.text.source + "'";
        } else {
            c.how = check_spec::predicate::matches;
            auto pattern = get_string(v, key);
            std::string error;
            if (pattern) c.regex = compile_regex(*pattern, &error);
            if (pattern && !c.regex) problem(v, error);
            ok = c.regex != nullptr;
            description = "body matches '" + pattern.value_or("") + "'";
        }
    } else if (key == "header") {
        c.what = s::header;
        c.header = get_string(v, "header").value_or("");
        no_predicates({"lt", "lte", "gt", "gte"});
        ok = read_predicate(n, scope, c, header_predicates) && ok;
        description = "header " + c.header + " " + std::string(symbol(c.how));
        if (c.how != check_spec::predicate::exists && c.how != check_spec::predicate::absent)
            description += " '" + c.expected.text.source + "'";
    } else {
        c.what = s::latency;
        c.how = check_spec::predicate::below;
        no_predicates(json_predicates);
        if (auto d = get_duration(v, "latency_below")) c.latency = *d;
        else ok = false;
        description = "latency < " + format_duration(c.latency);
    }
    if (const auto& soft = n["soft"]) c.soft = get_bool(soft, "soft").value_or(false);
    if (const auto& name = n["name"]) description = get_string(name, "name").value_or(description);
    c.description = description;
    if (!ok) return std::nullopt;
    c.id = static_cast<std::uint32_t>(sc_.checks.size());
    sc_.checks.push_back({0, c.description, c.soft});
    return c;
}

std::optional<extract_spec> step_reader::read_extract(const std::string& name, const YAML::Node& n) {
    extract_spec e;
    e.variable = name;
    auto slot = std::find(sc_.variables.begin(), sc_.variables.end(), name);
    if (slot == sc_.variables.end()) slot = sc_.variables.insert(slot, name);
    e.slot = static_cast<std::uint32_t>(slot - sc_.variables.begin());
    YAML::Node source;  // reset(), not '=': assigning a yaml-cpp node overwrites its target
    source.reset(n);
    if (n.IsScalar()) {  // shorthand: a JSON path
        e.from = extract_spec::source::json;
    } else {
        if (!expect_map(n, "extract '" + name + "'")) return std::nullopt;
        check_keys(n, {"json", "header", "regex", "group"}, "extract");
        const int given = (n["json"] ? 1 : 0) + (n["header"] ? 1 : 0) + (n["regex"] ? 1 : 0);
        if (given != 1) {
            problem(n, "extract '" + name + "' takes one of: json, header, regex");
            return std::nullopt;
        }
        if (n["json"]) e.from = extract_spec::source::json, source.reset(n["json"]);
        if (n["header"]) e.from = extract_spec::source::header, source.reset(n["header"]);
        if (n["regex"]) e.from = extract_spec::source::regex, source.reset(n["regex"]);
        if (const auto& g = n["group"]) e.group = static_cast<int>(get_int(g, "group", 0, 99).value_or(1));
    }
    auto text = get_string(source, "extract '" + name + "'");
    if (!text) return std::nullopt;
    std::string error;
    switch (e.from) {
        case extract_spec::source::json:
            if (auto path = parse_json_path(*text, &error)) e.path = std::move(*path);
            else return problem(source, error), std::nullopt;
            break;
        case extract_spec::source::header: e.header = *text; break;
        case extract_spec::source::regex:
            e.regex = compile_regex(*text, &error);
            if (!e.regex) return problem(source, error), std::nullopt;
            if (!n.IsMap() || !n["group"]) e.group = regex_groups(*e.regex) > 0 ? 1 : 0;
            else if (static_cast<std::size_t>(e.group) > regex_groups(*e.regex))
                return problem(n["group"], "the regular expression has only " + std::to_string(regex_groups(*e.regex)) +
                                               " group(s)"), std::nullopt;
            break;
    }
    return e;
}

}  // namespace stampede::lang::detail
