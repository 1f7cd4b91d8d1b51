// JSON paths, checks and extractions on arbitrary bodies. The input is: a JSON path (to the
// first newline), an expected value or regular expression (to the next), then the response
// body. Every check passes or fails with a reason; nothing throws out of the inspector.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_bytes.hpp"
#include "scenario/response_checks.hpp"

using namespace stampede;
using namespace stampede::lang;

namespace {

// A failure always says why.
template <class Result>
void expect_reason(const Result& r) {
    if (!r.ok() && r.error().empty()) std::abort();
}

void check_matches(response_inspector& inspector, check_spec spec,
                   const std::shared_ptr<const compiled_regex>& regex, const std::string& expected) {
    spec.how = check_spec::predicate::matches;
    spec.regex = regex;
    expect_reason(inspector.check(spec, expected));
}

// Every predicate on the JSON path, with the expected text read as each kind; its extraction.
void check_json_path(response_inspector& inspector, const json_path& path, const common::result<std::shared_ptr<const compiled_regex>>& regex,
                     const std::string& expected) {
    check_spec spec;
    spec.what = check_spec::subject::json;
    spec.path = path;
    for (auto how : {check_spec::predicate::exists, check_spec::predicate::absent, check_spec::predicate::equals,
                     check_spec::predicate::not_equals, check_spec::predicate::less, check_spec::predicate::greater_equal,
                     check_spec::predicate::contains}) {
        spec.how = how;
        spec.expected.type = expected_value::kind::text;
        spec.expected.text = {};
        spec.expected.text.parts.push_back({expected, std::nullopt, false});
        expect_reason(inspector.check(spec, expected));
        spec.expected.type = expected_value::kind::number;
        spec.expected.number = std::strtod(expected.c_str(), nullptr);
        expect_reason(inspector.check(spec, expected));
        spec.expected.type = expected_value::kind::boolean;
        expect_reason(inspector.check(spec, expected));
        spec.expected.type = expected_value::kind::null;
        expect_reason(inspector.check(spec, expected));
    }
    if (regex.ok()) check_matches(inspector, spec, *regex, expected);
    extract_spec ex;
    ex.from = extract_spec::source::json;
    ex.path = path;
    expect_reason(inspector.extract(ex));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    const auto path_text = in.until('\n');
    const std::string expected(in.until('\n'));
    const auto body = in.rest();

    auto path = parse_json_path(path_text);
    expect_reason(path);
    auto regex = compile_regex(expected);

    response_view response;
    response.status = 200;
    response.body = body;
    response.header = [&](std::string_view name) -> std::optional<std::string_view> {
        if (name == "content-type") return std::string_view("application/json");
        return std::nullopt;
    };
    response_inspector inspector(response);
    expect_reason(inspector.jsonrpc_result());

    check_spec spec;
    spec.what = check_spec::subject::body;
    spec.how = check_spec::predicate::contains;
    spec.expected.text.parts.push_back({expected, std::nullopt, false});
    expect_reason(inspector.check(spec, expected));
    if (regex.ok()) {
        check_matches(inspector, spec, *regex, expected);
        extract_spec ex;
        ex.from = extract_spec::source::regex;
        ex.regex = *regex;
        ex.group = regex_groups(**regex) > 0 ? 1 : 0;
        expect_reason(inspector.extract(ex));
    }
    if (!path.ok()) return 0;

    check_json_path(inspector, *path, regex, expected);
    return 0;
}
