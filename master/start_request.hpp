#pragma once
// What a start or a change from the web UI asks of the run (POST /api/swarm; the live library
// reads it from the request): while the run goes, the users and spawn rate from now on;
// before it, the start, which may also pick a run time, a profile, tags and user classes.
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"

namespace stampede::master {

// Each field as a flag would be: none leaves the command line's choice.
struct start_request {
    std::optional<int> users;
    std::optional<double> spawn_rate;
    std::optional<common::micros> run_time;  // none: the profile's picked, else until stopped
    std::optional<std::string> profile;      // "": the scenario's own load, no profile
    std::optional<std::vector<std::string>> tags, exclude_tags;
    std::vector<std::string> classes;  // empty: every class
};

}  // namespace stampede::master
