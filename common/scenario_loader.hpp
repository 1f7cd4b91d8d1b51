#pragma once
// Loads and validates a scenario file. Every problem is reported (not only the first), each
// with the file, line and column it refers to, before any traffic starts.
#include <optional>
#include <string>
#include <vector>

#include "common/scenario.hpp"

namespace stampede::common {

struct diagnostic {
    int line = 0;    // 1-based
    int column = 0;  // 1-based
    std::string message;
};

struct scenario_load_result {
    std::optional<scenario> value;  // set only when problems is empty
    std::vector<diagnostic> problems;
    std::string path;

    bool ok() const { return problems.empty() && value.has_value(); }
    // One "path:line:column: message" line per problem.
    std::string format() const;
};

scenario_load_result load_scenario_file(const std::string& path);
scenario_load_result load_scenario_text(const std::string& text, const std::string& display_path);

}  // namespace stampede::common
