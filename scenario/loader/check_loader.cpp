#include "scenario/loader/check_loader.hpp"

#include "scenario/response_checks.hpp"

namespace stampede::lang::detail {

using namespace common;

namespace {

const keys check_keys_all = {"status", "json",   "body_contains", "body_matches", "header", "latency_below",
                             "exists", "equals", "not_equals",    "lt",           "lte",    "gt",
                             "gte",    "matches", "contains",     "soft",         "name"};
const keys json_predicates = {"exists", "equals", "not_equals", "lt", "lte", "gt", "gte", "matches", "contains"};
const keys header_predicates = {"exists", "equals", "not_equals", "contains", "matches"};
const keys check_subjects = {"status", "json", "body_contains", "body_matches", "header", "latency_below"};

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

}  // namespace

bool check_reader::read_predicate(const YAML::Node& n, const template_scope& scope, check_spec& c, const keys& allowed) {
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
        auto regex = compile_regex(*pattern);
        if (regex) c.regex = *regex;
        else problem(v, regex.error());
        c.expected.text.source = *pattern;
        return c.regex != nullptr;
    }
    c.how = key == "equals" ? p::equals : key == "not_equals" ? p::not_equals : p::contains;
    return read_expected(v, key, scope, c);
}

// The value an equals, not_equals or contains compares with: a plain true, false, null or
// number is typed (except for contains, which reads text); anything else is templated text.
bool check_reader::read_expected(const YAML::Node& v, const std::string& key, const template_scope& scope, check_spec& c) {
    using p = check_spec::predicate;
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

// A predicate that does not apply to the check's subject is a problem of its own.
bool check_reader::refuse_predicates(const YAML::Node& n, const std::string& subject, const keys& others) {
    bool ok = true;
    for (auto k : others)
        if (n[std::string(k)]) {
            problem(n[std::string(k)], "'" + std::string(k) + "' does not apply to a " + subject + " check");
            ok = false;
        }
    return ok;
}

bool check_reader::read_status_check(const YAML::Node& n, const YAML::Node& v, check_spec& c) {
    c.what = check_spec::subject::status;
    c.how = check_spec::predicate::status_in;
    bool ok = refuse_predicates(n, "status", json_predicates);
    auto statuses = get_statuses(v, "status");
    c.statuses = statuses.value_or(std::vector<int>{});
    c.description = "status";
    for (int code : c.statuses) c.description += (c.description == "status" ? " " : " or ") + std::to_string(code);
    return statuses.has_value() && ok;
}

bool check_reader::read_json_check(const YAML::Node& n, const YAML::Node& v, const template_scope& scope, check_spec& c) {
    c.what = check_spec::subject::json;
    bool ok = false;
    if (auto text = get_string(v, "json")) {
        auto path = parse_json_path(*text);
        if (path) c.path = std::move(*path);
        else problem(v, path.error());
        ok = path.ok();
    }
    ok = read_predicate(n, scope, c, json_predicates) && ok;
    c.description = "json " + c.path.source + " " + std::string(symbol(c.how));
    if (c.how != check_spec::predicate::exists && c.how != check_spec::predicate::absent)
        c.description += " " + (c.how == check_spec::predicate::matches ? "'" + c.expected.text.source + "'" : c.expected.display());
    return ok;
}

bool check_reader::read_body_check(const YAML::Node& n, const std::string& key, const template_scope& scope, check_spec& c) {
    c.what = check_spec::subject::body;
    const auto v = n[key];
    bool ok = refuse_predicates(n, key, json_predicates);
    if (key == "body_contains") {
        c.how = check_spec::predicate::contains;
        if (auto t = get_template(v, key, scope)) c.expected.text = std::move(*t);
        else ok = false;
        c.description = "body contains '" + c.expected.text.source + "'";
        return ok;
    }
    c.how = check_spec::predicate::matches;
    auto pattern = get_string(v, key);
    if (pattern) {
        auto regex = compile_regex(*pattern);
        if (regex) c.regex = *regex;
        else problem(v, regex.error());
    }
    c.description = "body matches '" + pattern.value_or("") + "'";
    return c.regex != nullptr && ok;
}

bool check_reader::read_header_check(const YAML::Node& n, const YAML::Node& v, const template_scope& scope, check_spec& c) {
    c.what = check_spec::subject::header;
    c.header = get_string(v, "header").value_or("");
    bool ok = refuse_predicates(n, "header", {"lt", "lte", "gt", "gte"});
    ok = read_predicate(n, scope, c, header_predicates) && ok;
    c.description = "header " + c.header + " " + std::string(symbol(c.how));
    if (c.how != check_spec::predicate::exists && c.how != check_spec::predicate::absent)
        c.description += " '" + c.expected.text.source + "'";
    return ok;
}

bool check_reader::read_latency_check(const YAML::Node& n, const YAML::Node& v, check_spec& c) {
    c.what = check_spec::subject::latency;
    c.how = check_spec::predicate::below;
    bool ok = refuse_predicates(n, "latency_below", json_predicates);
    if (auto d = get_duration(v, "latency_below")) c.latency = *d;
    else ok = false;
    c.description = "latency < " + format_duration(c.latency);
    return ok;
}

std::optional<check_spec> check_reader::read_check(const YAML::Node& n, const template_scope& scope) {
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
    if (key == "status") ok = read_status_check(n, v, c);
    else if (key == "json") ok = read_json_check(n, v, scope, c);
    else if (key == "body_contains" || key == "body_matches") ok = read_body_check(n, key, scope, c);
    else if (key == "header") ok = read_header_check(n, v, scope, c);
    else ok = read_latency_check(n, v, c);
    if (const auto& soft = n["soft"]) c.soft = get_bool(soft, "soft").value_or(false);
    if (const auto& name = n["name"]) c.description = get_string(name, "name").value_or(c.description);
    if (!ok) return std::nullopt;
    c.id = static_cast<std::uint32_t>(sc_.checks.size());
    sc_.checks.push_back({0, c.description, c.soft});
    return c;
}

std::optional<extract_spec> check_reader::read_extract(const std::string& name, const YAML::Node& n) {
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
    switch (e.from) {
        case extract_spec::source::json:
            if (auto path = parse_json_path(*text)) e.path = std::move(*path);
            else return problem(source, path.error()), std::nullopt;
            break;
        case extract_spec::source::header: e.header = *text; break;
        case extract_spec::source::regex:
            if (auto regex = compile_regex(*text)) e.regex = *regex;
            else return problem(source, regex.error()), std::nullopt;
            if (!n.IsMap() || !n["group"]) e.group = regex_groups(*e.regex) > 0 ? 1 : 0;
            else if (static_cast<std::size_t>(e.group) > regex_groups(*e.regex))
                return problem(n["group"], "the regular expression has only " + std::to_string(regex_groups(*e.regex)) +
                                               " group(s)"), std::nullopt;
            break;
    }
    return e;
}

}  // namespace stampede::lang::detail
