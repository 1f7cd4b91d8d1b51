#pragma once
// Loads and validates a scenario file. Every problem is reported (not only the first), each
// with the file, line and column it refers to, before any traffic starts.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "scenario/diagnostic.hpp"
#include "scenario/scenario.hpp"

namespace stampede::lang {

struct scenario_load_result {
    std::optional<scenario> value;  // set only when problems is empty
    std::vector<diagnostic> problems;
    std::string path;

    bool ok() const { return problems.empty() && value.has_value(); }
    // One "path:line:column: message" line per problem.
    std::string format() const;
};

// Where a scenario's data files and environment values come from. A master reads them from
// its disk and environment; its workers get the same from the master.
// A scenario and its data files travel to every worker in one control message (at most
// 64 MiB): together they may be at most this large.
inline constexpr std::size_t max_scenario_bundle_bytes = 60u << 20;

struct load_options {
    // The file's content, or why not.
    std::function<common::result<std::string>(const std::string& name)> read_file;
    std::function<std::optional<std::string>(const std::string& name)> environment;
};

// Data files relative to the directory of the scenario at `path`; the process environment.
load_options file_system_sources(const std::string& path);
// The file at `path`, loaded with file_system_sources.
scenario_load_result load_scenario_file(const std::string& path);
scenario_load_result load_scenario_text(const std::string& text, const std::string& display_path,
                                        const load_options& options = {});

}  // namespace stampede::lang
