#pragma once
// Checks on a response and values extracted from it, as declared in a scenario: JSON paths,
// body, headers, status, latency. The specs are compiled when the scenario loads (paths
// parsed, regular expressions built); a response_inspector evaluates them against one
// response, parsing its body as JSON at most once and only when a spec needs it.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "scenario/template.hpp"

namespace stampede::lang {

using common::micros;

// `result.items[0].id` (a leading `$.` is allowed).
struct json_path {
    struct step {
        std::string key;
        std::int64_t index = -1;  // >= 0: an array element
    };
    std::string source;
    std::vector<step> steps;
};
common::result<json_path> parse_json_path(std::string_view text);

struct compiled_regex;  // std::regex, kept out of this header
common::result<std::shared_ptr<const compiled_regex>> compile_regex(const std::string& pattern);
std::size_t regex_groups(const compiled_regex& r);  // its capture groups

// A value a check compares with: a YAML scalar, typed, or templated text.
struct expected_value {
    enum class kind : std::uint8_t { null, boolean, number, text };
    kind type = kind::text;
    bool boolean = false;
    double number = 0;
    text_template text;  // for text: constant, or rendered per request
    std::string display() const;
};

struct check_spec {
    enum class subject : std::uint8_t { status, json, body, header, latency };
    enum class predicate : std::uint8_t {
        exists, absent, equals, not_equals, less, less_equal, greater, greater_equal, matches, contains, status_in,
        below
    };
    subject what = subject::status;
    predicate how = predicate::exists;
    json_path path;
    std::string header;
    expected_value expected;
    std::shared_ptr<const compiled_regex> regex;
    micros latency{0};
    std::vector<int> statuses;
    bool soft = false;          // a failure is counted for the check, the request still succeeds
    std::string description;    // "json result.answer exists"
    std::uint32_t id = 0;       // index into scenario::checks
    bool needs_json() const { return what == subject::json; }
};

struct extract_spec {
    enum class source : std::uint8_t { json, header, regex };
    source from = source::json;
    std::string variable;
    std::uint32_t slot = 0;
    json_path path;
    std::string header;
    std::shared_ptr<const compiled_regex> regex;
    int group = 1;
    bool needs_json() const { return from == source::json; }
};

struct response_view {
    unsigned status = 0;
    std::string_view body;
    micros latency{0};
    std::function<std::optional<std::string_view>(std::string_view name)> header;
};

class response_inspector {
public:
    explicit response_inspector(const response_view& response);
    ~response_inspector();
    response_inspector(const response_inspector&) = delete;
    response_inspector& operator=(const response_inspector&) = delete;

    // Passes, or fails saying why. `expected_text` is the rendered expected value when it is
    // templated text.
    common::status check(const check_spec& spec, std::string_view expected_text);
    // The extracted value, or why there is none.
    common::result<std::string> extract(const extract_spec& spec);
    // For a JSON-RPC call: a result, or why the response is a failure (an `error` member, or
    // not JSON-RPC at all).
    common::status jsonrpc_result();

private:
    struct parsed_json;
    const parsed_json* parsed();
    const response_view& response_;
    std::unique_ptr<parsed_json> json_;
    bool json_tried_ = false;
};

}  // namespace stampede::lang
