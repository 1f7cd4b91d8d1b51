#pragma once
// What a master exposes beyond its own machine, and whether it may. A master's control channel
// hands every worker that joins the scenario, its data files and the environment values it
// reads, and takes their counts into the verdict; its web server starts, steers and stops the
// run. Listening beyond loopback, each needs a way to tell who is asking: the control channel a
// token or mutual TLS, the web server --web-auth. Without one the master refuses to start,
// saying how to fix it, unless --allow-unauthenticated accepts the risk out loud (the listeners
// so left open are then named on the console and in the result).
#include <string>
#include <vector>

#include "common/result.hpp"

namespace stampede::cli {

struct run_command_options;

// Whether HOST (an address, `[v6]`, or a name) is this machine's loopback only.
bool is_loopback_host(const std::string& host);

// The listeners left open to anyone (empty when none), or why the master may not start.
common::result<std::vector<std::string>> unauthenticated_listeners(const run_command_options& options);

}  // namespace stampede::cli
