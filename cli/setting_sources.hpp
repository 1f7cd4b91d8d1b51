#pragma once
// Settings from outside the command line: STAMPEDE_* environment variables and a config file in
// Locust's format (`key = value` with the long flag names), so a container, a Kubernetes Job or
// a team's `configs/medium.conf` sets any flag without editing a command. Precedence: a flag on
// the command line, then the environment, then the config file; below them the run applies the
// profile, the scenario and the defaults. Pure logic: main.cpp hands in the command's flags,
// the environment and the file's text, and gets back arguments with their sources.
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace stampede::cli {

// The variable of a flag: "spawn-rate" is STAMPEDE_SPAWN_RATE.
std::string environment_name(std::string_view long_name);

// The config file read when no --config (or STAMPEDE_CONFIG) names one.
inline constexpr const char* default_config_file = "stampede.conf";
// A config file is a page of settings; anything larger is a mistake.
inline constexpr std::size_t max_config_bytes = 1 << 20;

// One setting line of a config file.
struct config_entry {
    std::string key;    // as written
    std::string value;  // quotes removed
    int line = 0;
};

// Locust's config-file format: `key = value` (or `key: value`) with a flag's long name, dashes or
// underscores; `true`/`false` for switches; `[a, b]` for lists; whole-line `#` and `;` comments;
// `[section]` headers ignored. A bad line is "PATH:LINE: reason".
common::result<std::vector<config_entry>> parse_config(std::string_view text, const std::string& path);

// A flag of the command being run, as the sources need to know it.
struct flag_spec {
    std::string name;         // the long name, without dashes
    bool takes_value = true;  // false: a switch (--headless)
    bool many = false;        // repeatable or a list (--tags, --host-url)
};

// Values for one flag and where they came from.
struct setting {
    std::string flag;                 // the long name
    std::vector<std::string> values;  // none for a switch turned on
    std::string source;               // "STAMPEDE_USERS" or "medium.conf:3"
};

struct setting_inputs {
    std::string command;                    // "master", "worker", ...
    std::vector<flag_spec> flags;           // the command's own
    std::vector<std::string> other_flags;   // other commands' long names: a shared file may hold them
    std::set<std::string> given;            // long names given on the command line
    std::function<const char*(const std::string&)> environment;  // getenv
    std::vector<config_entry> config;
    std::string config_path;
};

struct gathered_settings {
    std::vector<setting> settings;
    std::vector<std::string> warnings;  // "PATH:LINE: ..." for Locust keys with no use here
};

// The settings the command line leaves open, from the environment, then the file. A value that
// cannot be one (a switch set to "maybe", a key no command knows, a single-valued key twice)
// is an error naming its source; values are checked by the flags' own rules afterwards.
common::result<gathered_settings> gather_settings(const setting_inputs& in);

// A setting as command-line arguments: --name=value per value, or --name for a switch.
std::vector<std::string> as_arguments(const setting& s);

}  // namespace stampede::cli
