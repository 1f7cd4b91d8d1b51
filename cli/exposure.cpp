#include "cli/exposure.hpp"

#include <arpa/inet.h>

#include <array>

#include "cli/commands.hpp"

namespace stampede::cli {

namespace {

// HOST of HOST:PORT, brackets taken off an IPv6 address.
std::string host_of(const std::string& address) {
    auto host = address.substr(0, address.rfind(':'));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return host;
}

}  // namespace

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    std::array<unsigned char, 16> bytes{};
    if (inet_pton(AF_INET, host.c_str(), bytes.data()) == 1) return bytes[0] == 127;
    if (inet_pton(AF_INET6, host.c_str(), bytes.data()) == 1) {
        static constexpr std::array<unsigned char, 16> v6_loopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return bytes == v6_loopback;
    }
    return false;  // a name (or 0.0.0.0, ::): it may be reachable from elsewhere
}

common::result<std::vector<std::string>> unauthenticated_listeners(const run_command_options& o) {
    std::vector<std::string> open, fixes;
    // Only a master listens for workers; `run` talks to its own in-process.
    if (!o.bind.empty() && !is_loopback_host(host_of(o.bind)) && o.token.empty() && o.tls.ca.empty()) {
        open.push_back("the control channel on " + o.bind + " (no --token, no mutual TLS)");
        fixes.push_back("give the master and its workers a shared secret with --token TOKEN (or STAMPEDE_TOKEN; "
                        "e.g. `export STAMPEDE_TOKEN=$(openssl rand -hex 16)`), or require client certificates with --tls-ca, "
                        "or --bind 127.0.0.1:5557 when the workers run on this machine");
    }
    const bool serves_web = o.web_port.has_value() || !o.headless;
    if (serves_web && !is_loopback_host(o.web.host) && o.web.auth.empty()) {
        open.push_back("the web UI and REST API on " + o.web.host + " (no --web-auth)");
        fixes.push_back("require credentials with --web-auth USER:PASSWORD (or STAMPEDE_WEB_AUTH), or leave --web-host "
                        "at 127.0.0.1");
    }
    if (open.empty() || o.allow_unauthenticated) return open;
    std::string why = "this master would listen beyond loopback where anyone who reaches it ";
    why += "gets the scenario, its data files and the environment values it reads, and can steer the run or report counts:";
    for (const auto& listener : open) why += "\n  " + listener;
    why += "\nTo fix it:";
    for (const auto& fix : fixes) why += "\n  " + fix;
    why += "\nor, on a network you trust, accept this with --allow-unauthenticated (recorded in the result)";
    return common::fail(why);
}

}  // namespace stampede::cli
