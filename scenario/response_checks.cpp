#include "scenario/response_checks.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <sstream>

#include "common/utf8.hpp"

namespace stampede::lang {

using namespace common;

using nlohmann::json;

// RE2 matches in time linear in the text and never recurses, so a hostile pattern or body
// cannot blow the stack or stall an event loop (std::regex did both).
struct compiled_regex {
    explicit compiled_regex(const std::string& source) : pattern(source, options()) {}
    static RE2::Options options() {
        RE2::Options o;
        o.set_log_errors(false);
        o.set_max_mem(8 << 20);  // per pattern; past it RE2 refuses the pattern at load
        return o;
    }
    RE2 pattern;
};

struct response_inspector::parsed_json {
    nlohmann::json value;
};

common::result<json_path> parse_json_path(std::string_view text) {
    auto fail = [&](std::string why) { return common::fail("bad JSON path '" + std::string(text) + "': " + why); };
    json_path path;
    path.source = std::string(text);
    std::string_view rest = text;
    if (rest.starts_with("$.")) rest.remove_prefix(2);
    else if (rest == "$") rest = {};
    while (!rest.empty()) {
        if (rest.front() == '[') {
            const auto close = rest.find(']');
            if (close == std::string_view::npos) return fail("'[' without ']'");
            std::int64_t index = -1;
            const auto digits = rest.substr(1, close - 1);
            auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
            if (ec != std::errc() || ptr != digits.data() + digits.size() || index < 0)
                return fail("an index must be a whole number, as in items[0]");
            path.steps.push_back({"", index});
            rest.remove_prefix(close + 1);
        } else {
            const auto end = rest.find_first_of(".[");
            const auto key = rest.substr(0, end);
            if (key.empty()) return fail("an empty name");
            path.steps.push_back({std::string(key), -1});
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        }
        if (!rest.empty() && rest.front() == '.') {
            rest.remove_prefix(1);
            if (rest.empty()) return fail("ends with '.'");
        }
    }
    if (path.steps.empty()) return fail("names nothing");
    return path;
}

common::result<std::shared_ptr<const compiled_regex>> compile_regex(const std::string& pattern) {
    auto compiled = std::make_shared<const compiled_regex>(pattern);
    if (!compiled->pattern.ok())
        return common::fail("bad regular expression '" + pattern + "': " + compiled->pattern.error());
    return std::shared_ptr<const compiled_regex>(std::move(compiled));
}

std::size_t regex_groups(const compiled_regex& r) {
    return static_cast<std::size_t>(std::max(0, r.pattern.NumberOfCapturingGroups()));
}

std::string expected_value::display() const {
    switch (type) {
        case kind::null: return "null";
        case kind::boolean: return boolean ? "true" : "false";
        case kind::number: {
            std::ostringstream out;
            out << number;
            return out.str();
        }
        case kind::text: return "'" + text.source + "'";
    }
    return {};
}

namespace {

const json* find(const json& root, const json_path& path) {
    const json* at = &root;
    for (const auto& step : path.steps) {
        if (step.index >= 0) {
            if (!at->is_array() || static_cast<std::size_t>(step.index) >= at->size()) return nullptr;
            at = &(*at)[static_cast<std::size_t>(step.index)];
        } else {
            if (!at->is_object()) return nullptr;
            auto it = at->find(step.key);
            if (it == at->end()) return nullptr;
            at = &*it;
        }
    }
    return at;
}

// A JSON value as text: strings without quotes, anything else as JSON.
std::string as_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// A quote of a response for a failure message: at most 80 bytes, cut on a character
// boundary, invalid UTF-8 replaced (the message travels in a protobuf string).
std::string shorten(std::string_view text) { return shortened_utf8(text, 80); }

bool equals(const json& found, const expected_value& expected, std::string_view expected_text) {
    switch (expected.type) {
        case expected_value::kind::null: return found.is_null();
        case expected_value::kind::boolean: return found.is_boolean() && found.get<bool>() == expected.boolean;
        case expected_value::kind::number: return found.is_number() && found.get<double>() == expected.number;
        case expected_value::kind::text: return as_text(found) == expected_text;
    }
    return false;
}

bool compare(double found, check_spec::predicate how, double bound) {
    switch (how) {
        case check_spec::predicate::less: return found < bound;
        case check_spec::predicate::less_equal: return found <= bound;
        case check_spec::predicate::greater: return found > bound;
        case check_spec::predicate::greater_equal: return found >= bound;
        default: return false;
    }
}

bool is_ordering(check_spec::predicate how) {
    return how == check_spec::predicate::less || how == check_spec::predicate::less_equal ||
           how == check_spec::predicate::greater || how == check_spec::predicate::greater_equal;
}

// Checks of a text (body, header value, JSON string): equals, contains, matches.
bool text_holds(std::string_view text, const check_spec& spec, std::string_view expected_text) {
    switch (spec.how) {
        case check_spec::predicate::equals: return text == expected_text;
        case check_spec::predicate::not_equals: return text != expected_text;
        case check_spec::predicate::contains: return text.find(expected_text) != std::string_view::npos;
        case check_spec::predicate::matches:
            return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), spec.regex->pattern);
        default: return true;
    }
}

}  // namespace

response_inspector::response_inspector(const response_view& response) : response_(response) {}
response_inspector::~response_inspector() = default;

namespace {

// Writing a JSON value out (for a failure message, or to compare it as text) recurses once per
// level: a body nested a million levels deep would overflow the stack. Bodies nested deeper
// than any real API nests are taken as not JSON; the scan is linear and allocates nothing.
constexpr int max_json_depth = 256;

bool nests_too_deep(std::string_view body) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (const char c : body) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_json_depth) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

}  // namespace

const response_inspector::parsed_json* response_inspector::parsed() {
    if (!json_tried_) {
        json_tried_ = true;
        if (nests_too_deep(response_.body)) return nullptr;
        auto value = nlohmann::json::parse(response_.body.begin(), response_.body.end(), nullptr, false);
        if (!value.is_discarded()) json_ = std::make_unique<parsed_json>(parsed_json{std::move(value)});
    }
    return json_.get();
}

common::status response_inspector::check(const check_spec& spec, std::string_view expected_text) {
    using p = check_spec::predicate;
    switch (spec.what) {
        case check_spec::subject::status:
            for (int s : spec.statuses)
                if (static_cast<unsigned>(s) == response_.status) return {};
            return common::fail("got HTTP " + std::to_string(response_.status));
        case check_spec::subject::latency:
            if (response_.latency < spec.latency) return {};
            return common::fail("took " + format_duration(response_.latency));
        case check_spec::subject::body:
            if (text_holds(response_.body, spec, expected_text)) return {};
            return common::fail("the body was '" + shorten(response_.body) + "'");
        case check_spec::subject::header: {
            auto value = response_.header ? response_.header(spec.header) : std::nullopt;
            if (spec.how == p::absent) {
                if (value) return common::fail("the header is present");
                return {};
            }
            if (!value) return common::fail("no such header");
            if (text_holds(*value, spec, expected_text)) return {};
            return common::fail("got '" + shorten(*value) + "'");
        }
        case check_spec::subject::json: {
            const auto* doc = parsed();
            if (!doc) return common::fail("the response is not JSON");
            const auto* found = find(doc->value, spec.path);
            if (spec.how == p::absent) {
                if (found) return common::fail("it is present: " + shorten(found->dump()));
                return {};
            }
            if (!found) return common::fail("it is missing");
            if (spec.how == p::exists) return {};
            if (spec.how == p::equals || spec.how == p::not_equals) {
                const bool same = equals(*found, spec.expected, expected_text);
                if (same == (spec.how == p::equals)) return {};
                return common::fail("got " + shorten(found->dump()));
            }
            if (is_ordering(spec.how)) {
                if (!found->is_number()) return common::fail("not a number: " + shorten(found->dump()));
                if (compare(found->template get<double>(), spec.how, spec.expected.number)) return {};
                return common::fail("got " + shorten(found->dump()));
            }
            if (text_holds(as_text(*found), spec, expected_text)) return {};
            return common::fail("got " + shorten(found->dump()));
        }
    }
    return {};
}

common::result<std::string> response_inspector::extract(const extract_spec& spec) {
    switch (spec.from) {
        case extract_spec::source::json: {
            const auto* doc = parsed();
            if (!doc) return common::fail("the response is not JSON");
            const auto* found = find(doc->value, spec.path);
            if (!found || found->is_null()) return common::fail("no value at JSON path '" + spec.path.source + "'");
            return as_text(*found);
        }
        case extract_spec::source::header: {
            auto value = response_.header ? response_.header(spec.header) : std::nullopt;
            if (!value) return common::fail("no header '" + spec.header + "'");
            return std::string(*value);
        }
        case extract_spec::source::regex: {
            const auto& re = spec.regex->pattern;
            const re2::StringPiece body(response_.body.data(), response_.body.size());
            const int wanted = spec.group + 1;  // the whole match, then the groups up to the one taken
            std::vector<re2::StringPiece> groups(static_cast<std::size_t>(wanted));
            if (!re.Match(body, 0, body.size(), RE2::UNANCHORED, groups.data(), wanted) ||
                groups[spec.group].data() == nullptr) return common::fail("the regular expression found no match in the body");
            return std::string(groups[spec.group].data(), groups[spec.group].size());
        }
    }
    return common::fail("unknown extraction source");
}

common::status response_inspector::jsonrpc_result() {
    const auto* doc = parsed();
    if (!doc || !doc->value.is_object()) return common::fail("the response is not a JSON-RPC object");
    const auto& v = doc->value;
    if (auto error = v.find("error"); error != v.end() && !error->is_null()) {
        std::string message = "JSON-RPC error";
        if (error->is_object()) {
            if (auto code = error->find("code"); code != error->end()) message += " " + code->dump();
            if (auto text = error->find("message"); text != error->end()) message += ": " + as_text(*text);
        } else {
            message += ": " + shorten(error->dump());
        }
        return common::fail(std::move(message));
    }
    if (!v.contains("result")) return common::fail("the response has neither 'result' nor 'error'");
    return {};
}

}  // namespace stampede::lang
