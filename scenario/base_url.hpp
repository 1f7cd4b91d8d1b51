#pragma once
// A host's base URL (http:// or https://): scheme, host, port and a path prefix for every request.
#include <optional>
#include <string>

#include "common/result.hpp"

namespace stampede::lang {

struct base_url {
    std::string scheme = "http";
    std::string host;        // a name, an IPv4 address, or an IPv6 address without brackets
    std::string port = "80";  // 443 for https when the URL names none
    std::string base_path;   // prefix for every request path, without trailing slash

    bool ipv6() const { return host.find(':') != std::string::npos; }
    bool tls() const { return scheme == "https" || scheme == "wss"; }
    // As the Host header and URLs write it: IPv6 in brackets, the port unless it is the
    // scheme's default (80 for http, 443 for https).
    std::string authority() const;
    std::string url() const { return scheme + "://" + authority() + base_path; }
};

// Parses "http://host:port/base", "https://...", or "ws://" and "wss://" (the same, for hosts
// WebSocket steps connect to; host may be "[::1]"). A query, a fragment or user info has
// no meaning for a base URL every request path is appended to: refused, with the reason.
common::result<base_url> parse_host_url(const std::string& url);

}  // namespace stampede::lang
