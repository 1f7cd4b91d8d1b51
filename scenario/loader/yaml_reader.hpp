#pragma once
// The scenario loader's reading helpers: typed values out of YAML nodes, every problem
// collected with its line and column instead of stopping at the first. Shared by the loader's
// translation units (scenario_loader.cpp, step_loader.cpp); nothing else includes yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostic.hpp"
#include "scenario/scenario.hpp"

namespace stampede::lang::detail {

using common::micros;

using keys = std::vector<std::string_view>;

// A file the scenario names (a data file, a certificate, a body), read beside it and counted into
// what travels to workers; nullopt (the problem reported at `at`) when it cannot be.
using file_reader =
    std::function<std::optional<std::string>(const YAML::Node& at, const std::string& name, std::string_view what)>;

class yaml_reader {
public:
    explicit yaml_reader(std::vector<diagnostic>& problems) : problems_(problems) {}

    void problem(const YAML::Node& at, std::string message);
    std::vector<diagnostic>& problems() { return problems_; }
    // A problem `offset` characters into a scalar's text (a template error).
    void problem_in(const YAML::Node& scalar, std::size_t offset, std::string message);
    bool expect_map(const YAML::Node& n, std::string_view what);
    void check_keys(const YAML::Node& map, const keys& allowed, std::string_view context);
    std::optional<std::string> get_string(const YAML::Node& n, std::string_view what);
    std::optional<long long> get_int(const YAML::Node& n, std::string_view what, long long lo, long long hi);
    std::optional<double> get_number(const YAML::Node& n, std::string_view what, double lo);
    std::optional<bool> get_bool(const YAML::Node& n, std::string_view what);
    std::optional<micros> get_duration(const YAML::Node& n, std::string_view what);
    // A size between 1 KiB and 1 GiB (16MiB, 512KiB, or bytes).
    std::optional<std::uint64_t> get_body_limit(const YAML::Node& n, std::string_view what);
    // An HTTP status or a non-empty list of them; nullopt when any is wrong.
    std::optional<std::vector<int>> get_statuses(const YAML::Node& n, std::string_view what);
    wait_time get_wait(const YAML::Node& n, std::string_view what, bool allow_pacing);
    // A templated text value, compiled against `scope`.
    std::optional<text_template> get_template(const YAML::Node& n, std::string_view what, const template_scope& scope);
    text_template compile(const YAML::Node& scalar, const std::string& text, const template_scope& scope);
    // Headers whose names are tokens and whose written values hold no line break or NUL.
    template_headers get_headers(const YAML::Node& n, const template_scope& scope);
    // A request path: from '/', its written text free of spaces, controls and line breaks.
    std::optional<text_template> get_path(const YAML::Node& n, const template_scope& scope);
    // A YAML value as a JSON body template: string values may hold templates; a string that
    // is one numeric expression is written as a bare number.
    std::optional<text_template> get_json_body(const YAML::Node& n, const template_scope& scope);
    // Builds a body template from a JSON document whose string leaves may be markers made by
    // json_marker (see step_loader.cpp for JSON-RPC envelopes).
    text_template body_from_json(const nlohmann::json& doc, std::vector<text_template>& leaves);
    // At most max_json_values values: YAML aliases can make a short file expand without
    // bound (nine aliases of nine make 387 million values), so the count is kept as it goes.
    std::optional<nlohmann::json> to_json(const YAML::Node& n, const template_scope* scope,
                                          std::vector<text_template>* leaves);
    static constexpr std::size_t max_json_values = 100'000;

private:
    std::optional<nlohmann::json> to_json_within(const YAML::Node& n, const template_scope* scope,
                                                 std::vector<text_template>* leaves, std::size_t& budget);
    std::vector<diagnostic>& problems_;
};

// The marker a JSON document holds in place of templated leaf `index`.
std::string json_marker(std::size_t index);

}  // namespace stampede::lang::detail
