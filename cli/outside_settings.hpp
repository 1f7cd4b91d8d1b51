#pragma once
// The settings a command line leaves open, taken from STAMPEDE_* variables and the config file
// (--config FILE, STAMPEDE_CONFIG, or ./stampede.conf), checked one by one by the flags' own
// rules so a bad value names its source, and handed back as extra arguments to parse.
#include <string>
#include <vector>

#include "cli/setting_sources.hpp"
#include "common/result.hpp"

namespace stampede::cli {

struct outside_settings {
    std::vector<std::string> arguments;  // argv[1..] with the settings' arguments after the subcommand
    std::vector<setting> settings;       // what came from outside, with sources
    std::vector<std::string> warnings;
};

// `args` is argv without the program name. Without a known subcommand first, they are returned
// as they are (the parser then says what is wrong).
common::result<outside_settings> gather_outside_settings(const std::vector<std::string>& args);

}  // namespace stampede::cli
