// A request body read from a file beside the scenario: `body_file` (the file's text, a template)
// and `json_file` (a JSON document whose string values may hold templates, as `json:` does).
// The file is read once, when the scenario loads, and travels to workers with the plan like a
// data file, within the same bound. A problem inside the file is reported at the step's key with
// the line and column in the file.
#include <optional>
#include <string>

#include "scenario/loader/step_loader.hpp"

namespace stampede::lang::detail {

using nlohmann::json;

namespace {

// "line L, column C" of byte `offset` in `text` (1-based; columns count bytes).
std::string position_in(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') ++line, column = 1;
        else ++column;
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Replaces every string value of `doc` that holds a template (or the marker's edge byte) with a
// marker of a compiled leaf, as to_json does for a YAML body. `where` names the value's JSON
// pointer for a problem's message.
class json_templater {
public:
    json_templater(const template_scope& scope, std::vector<text_template>& leaves) : scope_(scope), leaves_(leaves) {}

    void walk(json& v, const std::string& where) {
        if (!problems.empty()) return;
        if (v.is_object()) {
            for (auto& [key, item] : v.items()) {
                if (key.find('\x01') != std::string::npos) {
                    problems.push_back("at " + pointer(where) + ": a key may not hold the control character U+0001");
                    return;
                }
                walk(item, where + "/" + key);
            }
        } else if (v.is_array()) {
            for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], where + "/" + std::to_string(i));
        } else if (v.is_string()) {
            const auto& s = v.get_ref<const std::string&>();
            if (s.find("{{") == std::string::npos && s.find('\x01') == std::string::npos) return;
            std::vector<template_error> errors;
            leaves_.push_back(compile_template(s, scope_, errors));
            for (const auto& e : errors)
                problems.push_back("at " + pointer(where) + ", character " + std::to_string(e.offset + 1) + ": " + e.message);
            v = json_marker(leaves_.size() - 1);
        }
    }

    std::vector<std::string> problems;

private:
    static std::string pointer(const std::string& where) { return where.empty() ? "the top" : "'" + where + "'"; }

    const template_scope& scope_;
    std::vector<text_template>& leaves_;
};

// A document is walked, written and freed by recursion: its nesting is bounded, as its count of
// values is (as to_json bounds a YAML body).
constexpr std::size_t max_json_depth = 100;

// The problem with a document's size, if any; `values` counts down.
std::optional<std::string> size_problem(const json& v, std::size_t depth, std::size_t& values) {
    if (depth > max_json_depth) return "nests deeper than " + std::to_string(max_json_depth) + " levels";
    if (values == 0 || --values == 0) return "has more than " + std::to_string(yaml_reader::max_json_values) + " values";
    if (v.is_structured())
        for (const auto& item : v)
            if (auto why = size_problem(item, depth + 1, values)) return why;
    return std::nullopt;
}

}  // namespace

std::optional<text_template> step_reader::read_body_file(const YAML::Node& n, const template_scope& scope) {
    auto name = get_string(n, "body_file");
    if (!name) return std::nullopt;
    auto text = read_file_(n, *name, "body file");
    if (!text) return std::nullopt;
    std::vector<template_error> errors;
    auto body = compile_template(*text, scope, errors);
    for (const auto& e : errors) problem(n, "body file '" + *name + "', " + position_in(*text, e.offset) + ": " + e.message);
    if (!errors.empty()) return std::nullopt;
    return body;
}

std::optional<text_template> step_reader::read_json_file(const YAML::Node& n, const template_scope& scope) {
    auto name = get_string(n, "json_file");
    if (!name) return std::nullopt;
    auto text = read_file_(n, *name, "json file");
    if (!text) return std::nullopt;
    json doc;
    try {
        doc = json::parse(*text);
    } catch (const json::parse_error& e) {
        // nlohmann's message carries its own position in the file; byte is where it stopped.
        problem(n, "json file '" + *name + "' is not JSON, " + position_in(*text, e.byte == 0 ? 0 : e.byte - 1) + ": " +
                       std::string(e.what()).substr(std::string(e.what()).rfind(": ") + 2));
        return std::nullopt;
    } catch (const json::exception& e) {
        // A number past what a double holds (1e400), and the parser's other refusals.
        const std::string what = e.what();
        problem(n, "json file '" + *name + "' cannot be read: " + what.substr(what.find("] ") + 2));
        return std::nullopt;
    }
    std::size_t values = max_json_values;
    if (auto why = size_problem(doc, 0, values)) {
        problem(n, "json file '" + *name + "' " + *why);
        return std::nullopt;
    }
    std::vector<text_template> leaves;
    json_templater templater(scope, leaves);
    templater.walk(doc, "");
    for (const auto& p : templater.problems) problem(n, "json file '" + *name + "' " + p);
    if (!templater.problems.empty()) return std::nullopt;
    return body_from_json(doc, leaves);
}

}  // namespace stampede::lang::detail
