#include "scenario/loader/yaml_reader.hpp"

#include "scenario/request_text.hpp"

#include <charconv>

#include "common/byte_size.hpp"

#include <algorithm>
#include <sstream>

#include "common/text_similarity.hpp"

namespace stampede::lang::detail {

using namespace common;

using nlohmann::json;

namespace {
constexpr char marker_edge = '\x01';
}

std::string json_marker(std::size_t index) {
    return std::string(1, marker_edge) + std::to_string(index) + std::string(1, marker_edge);
}

void yaml_reader::problem(const YAML::Node& at, std::string message) {
    const auto mark = at.Mark();
    problems_.push_back({mark.line + 1, mark.column + 1, std::move(message)});
}

void yaml_reader::problem_in(const YAML::Node& scalar, std::size_t offset, std::string message) {
    const auto mark = scalar.Mark();
    const auto& text = scalar.IsScalar() ? scalar.Scalar() : std::string();
    // Exact for a scalar written on one line; otherwise the scalar's own position.
    const bool one_line = text.find('\n') == std::string::npos && offset <= text.size();
    const int quote = scalar.Tag() == "!" ? 1 : 0;
    const int column = mark.column + 1 + (one_line ? static_cast<int>(offset) + quote : 0);
    problems_.push_back({mark.line + 1, column, std::move(message)});
}

bool yaml_reader::expect_map(const YAML::Node& n, std::string_view what) {
    if (n.IsMap()) return true;
    problem(n, std::string(what) + " must be a mapping of keys to values");
    return false;
}

void yaml_reader::check_keys(const YAML::Node& map, const keys& allowed, std::string_view context) {
    for (auto it = map.begin(); it != map.end(); ++it) {
        const auto key = it->first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string message = "unknown key '" + key + "' in " + std::string(context);
        if (auto hint = nearest(key, allowed); !hint.empty()) message += " (did you mean '" + hint + "'?)";
        problem(it->first, message);
    }
}

std::optional<std::string> yaml_reader::get_string(const YAML::Node& n, std::string_view what) {
    if (n.IsScalar()) return n.Scalar();
    problem(n, std::string(what) + " must be a text value");
    return std::nullopt;
}

std::optional<long long> yaml_reader::get_int(const YAML::Node& n, std::string_view what, long long lo, long long hi) {
    long long v = 0;
    if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v)) {
        problem(n, std::string(what) + " must be a whole number");
        return std::nullopt;
    }
    if (v < lo || v > hi) {
        problem(n, std::string(what) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                       ", got " + std::to_string(v));
        return std::nullopt;
    }
    return v;
}

std::optional<double> yaml_reader::get_number(const YAML::Node& n, std::string_view what, double lo) {
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !(v >= lo)) {
        std::ostringstream lo_text;
        lo_text << lo;
        problem(n, std::string(what) + " must be a number of at least " + lo_text.str());
        return std::nullopt;
    }
    return v;
}

std::optional<bool> yaml_reader::get_bool(const YAML::Node& n, std::string_view what) {
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
        problem(n, std::string(what) + " must be true or false");
        return std::nullopt;
    }
    return v;
}

std::optional<std::uint64_t> yaml_reader::get_body_limit(const YAML::Node& n, std::string_view what) {
    auto text = get_string(n, what);
    if (!text) return std::nullopt;
    auto size = parse_byte_size(*text);
    if (!size) return problem(n, std::string(what) + ": " + size.error()), std::nullopt;
    constexpr std::uint64_t low = 1u << 10, high = 1u << 30;
    if (*size < low || *size > high)
        return problem(n, std::string(what) + " must be from 1KiB to 1GiB, got " + *text), std::nullopt;
    return *size;
}

std::optional<micros> yaml_reader::get_duration(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) {
        problem(n, std::string(what) + " must be a duration such as 30s, 5m or 1h30m");
        return std::nullopt;
    }
    auto d = parse_duration(n.Scalar());
    if (!d) return problem(n, std::string(what) + ": " + d.error()), std::nullopt;
    return *d;
}

std::optional<std::vector<int>> yaml_reader::get_statuses(const YAML::Node& n, std::string_view what) {
    std::vector<int> out;
    bool ok = true;
    auto add = [&](const YAML::Node& item) {
        if (auto code = get_int(item, what, 100, 599)) out.push_back(static_cast<int>(*code));
        else ok = false;
    };
    if (!n.IsSequence()) {
        add(n);
    } else if (n.size() == 0) {
        problem(n, std::string(what) + " must list at least one status");
        ok = false;
    } else {
        for (const auto& item : n) add(item);
    }
    if (!ok) return std::nullopt;
    return out;
}

wait_time yaml_reader::get_wait(const YAML::Node& n, std::string_view what, bool allow_pacing) {
    wait_time wait;
    const std::string name(what);
    if (n.IsScalar() && n.Scalar() == "none") return wait;
    if (n.IsScalar()) {  // a bare duration: constant
        if (auto d = get_duration(n, name)) wait = {wait_time::kind::constant, *d, *d};
        return wait;
    }
    const std::string forms = allow_pacing ? "none, 1s, {constant: 1s}, {between: [1s, 3s]}, {pacing: 2s}"
                                           : "1s, {constant: 1s}, {between: [1s, 3s]}";
    if (!n.IsMap() || n.size() != 1) {
        problem(n, name + " must be one of: " + forms);
        return wait;
    }
    const keys allowed = allow_pacing ? keys{"constant", "between", "pacing"} : keys{"constant", "between"};
    check_keys(n, allowed, name);
    if (const auto& c = n["constant"]) {
        if (auto d = get_duration(c, name + ".constant")) wait = {wait_time::kind::constant, *d, *d};
    } else if (const auto& p = n["pacing"]; p && allow_pacing) {
        if (auto d = get_duration(p, name + ".pacing")) wait = {wait_time::kind::pacing, *d, *d};
    } else if (const auto& b = n["between"]) {
        if (!b.IsSequence() || b.size() != 2) {
            problem(b, name + ".between must be a list of two durations, such as [1s, 3s]");
            return wait;
        }
        auto low = get_duration(b[0], name + ".between");
        auto high = get_duration(b[1], name + ".between");
        if (low && high && *low > *high) problem(b, name + ".between: the first bound exceeds the second");
        else if (low && high) wait = {wait_time::kind::between, *low, *high};
    }
    return wait;
}

text_template yaml_reader::compile(const YAML::Node& scalar, const std::string& text, const template_scope& scope) {
    std::vector<template_error> errors;
    auto t = compile_template(text, scope, errors);
    for (auto& e : errors) problem_in(scalar, e.offset, std::move(e.message));
    return t;
}

std::optional<text_template> yaml_reader::get_template(const YAML::Node& n, std::string_view what,
                                                       const template_scope& scope) {
    auto text = get_string(n, what);
    if (!text) return std::nullopt;
    return compile(n, *text, scope);
}

namespace {

// The problem, if any, of the text a template writes as it is (its literal parts, with the
// environment's values already in them).
std::optional<std::string> written_text_problem(const text_template& t,
                                                std::optional<std::string> (*problem_of)(std::string_view)) {
    for (const auto& part : t.parts)
        if (auto why = problem_of(part.literal)) return why;
    return std::nullopt;
}

}  // namespace

template_headers yaml_reader::get_headers(const YAML::Node& n, const template_scope& scope) {
    template_headers out;
    if (!expect_map(n, "headers")) return out;
    for (auto it = n.begin(); it != n.end(); ++it) {
        const auto& name = it->first.Scalar();
        if (auto why = header_name_problem(name)) {
            problem(it->first, *why);
            continue;
        }
        if (auto value = get_template(it->second, "header '" + name + "'", scope)) {
            if (auto why = written_text_problem(*value, header_value_problem)) problem(it->second, "header '" + name + "': " + *why);
            else out.emplace_back(name, std::move(*value));
        }
    }
    return out;
}

std::optional<text_template> yaml_reader::get_path(const YAML::Node& n, const template_scope& scope) {
    auto p = get_template(n, "path", scope);
    if (!p) return std::nullopt;
    if (p->source.empty() || p->source.front() != '/') problem(n, "path must start with '/'");
    else if (auto why = written_text_problem(*p, path_text_problem)) problem(n, *why);
    return p;
}

std::optional<json> yaml_reader::to_json(const YAML::Node& n, const template_scope* scope,
                                         std::vector<text_template>* leaves) {
    std::size_t budget = max_json_values;
    return to_json_within(n, scope, leaves, budget);
}

std::optional<json> yaml_reader::to_json_within(const YAML::Node& n, const template_scope* scope,
                                                std::vector<text_template>* leaves, std::size_t& budget) {
    if (budget == 0) return std::nullopt;  // already reported
    if (--budget == 0) {
        problem(n, "json body has more than " + std::to_string(max_json_values) +
                       " values (do YAML aliases repeat a large part?)");
        return std::nullopt;
    }
    if (n.IsNull()) return json(nullptr);
    if (n.IsScalar()) {
        const auto& s = n.Scalar();
        // A literal holding the marker's edge byte goes through a leaf too, so that no text
        // written in the scenario can be taken for a marker.
        if (scope && leaves && (s.find("{{") != std::string::npos || s.find('\x01') != std::string::npos)) {
            leaves->push_back(compile(n, s, *scope));
            return json(json_marker(leaves->size() - 1));
        }
        if (n.Tag() != "?") return json(s);  // quoted: always text
        if (s == "true" || s == "True" || s == "TRUE") return json(true);
        if (s == "false" || s == "False" || s == "FALSE") return json(false);
        if (s == "null" || s == "~" || s == "Null" || s == "NULL") return json(nullptr);
        long long i;
        if (YAML::convert<long long>::decode(n, i) && s.find_first_of(".eE") == std::string::npos) return json(i);
        double d;
        if (YAML::convert<double>::decode(n, d) && s.find_first_of("0123456789") != std::string::npos) return json(d);
        return json(s);
    }
    if (n.IsSequence()) {
        json arr = json::array();
        for (const auto& item : n) {
            auto v = to_json_within(item, scope, leaves, budget);
            if (!v) return std::nullopt;
            arr.push_back(std::move(*v));
        }
        return arr;
    }
    if (n.IsMap()) {
        json obj = json::object();
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (leaves && it->first.Scalar().find('\x01') != std::string::npos) {
                problem(it->first, "a json body's keys may not hold the control character U+0001");
                return std::nullopt;
            }
            auto v = to_json_within(it->second, scope, leaves, budget);
            if (!v) return std::nullopt;
            obj[it->first.Scalar()] = std::move(*v);
        }
        return obj;
    }
    problem(n, "json body holds a value that cannot be written as JSON");
    return std::nullopt;
}

text_template yaml_reader::body_from_json(const json& doc, std::vector<text_template>& leaves) {
    const auto text = doc.dump();
    text_template out;
    out.source = text;
    std::string pending;
    // dump() writes the marker's edge byte as \u0001, inside the string's quotes.
    const std::string edge = "\\u0001";
    std::size_t pos = 0;
    for (;;) {
        const auto open = text.find("\"" + edge, pos);
        if (open == std::string::npos) break;
        const auto close = text.find(edge + "\"", open + 1 + edge.size());
        const auto digits = open + 1 + edge.size();
        std::size_t index = 0;
        const auto [end, ec] = close == std::string::npos
                                   ? std::from_chars(text.data(), text.data(), index)
                                   : std::from_chars(text.data() + digits, text.data() + close, index);
        if (close == std::string::npos || ec != std::errc() || end != text.data() + close || index >= leaves.size()) {
            // Not a marker (every literal with the edge byte became a leaf): left as written.
            pending.append(text, pos, open + 1 - pos);
            pos = open + 1;
            continue;
        }
        pending.append(text, pos, open - pos);
        const auto& leaf = leaves[index];
        if (is_single_numeric(leaf)) {
            out.parts.push_back({std::move(pending), leaf.parts[0].expression, false});
            pending.clear();
        } else {
            pending += '"';
            for (const auto& part : leaf.parts) {
                append_json_escaped(part.literal, pending);
                if (!part.expression) continue;
                out.parts.push_back({std::move(pending), part.expression, true});
                pending.clear();
            }
            pending += '"';
        }
        pos = close + edge.size() + 1;
    }
    pending.append(text, pos);
    if (!pending.empty() || out.parts.empty()) out.parts.push_back({std::move(pending), std::nullopt, false});
    return out;
}

std::optional<text_template> yaml_reader::get_json_body(const YAML::Node& n, const template_scope& scope) {
    std::vector<text_template> leaves;
    auto doc = to_json(n, &scope, &leaves);
    if (!doc) return std::nullopt;
    return body_from_json(*doc, leaves);
}

}  // namespace stampede::lang::detail
