#pragma once
// Who may use the master's web server, decided per request before any route runs: the part of
// the server that keeps other web pages out. A browser visiting another site can make requests
// to 127.0.0.1 too, so being reachable is not consent:
//  * the Host header must name this server (an IP address, `localhost`, or a name the user
//    allows): a page on a rebound DNS name reaches the server under its own name and is refused;
//  * a request that changes state (any method but GET and HEAD) must come from the page itself:
//    no `Origin` but this server's, no `Sec-Fetch-Site` but same-origin or none, and the
//    control token in `X-Stampede-Token` — a header no cross-site form can carry and no
//    cross-site script may set without a CORS preflight, which this server never grants.
// The live page carries the token; scripts read it from GET /api/token or set it themselves
// (--web-token). Answers also forbid framing (headers_for_every_reply).
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::live {

// What of a request the guard reads; an absent header is an empty string.
struct request_origin {
    std::string method;
    bool http_1_0 = false;       // a request of HTTP/1.0 may have no Host (never a browser's)
    std::string host;            // Host
    std::string origin;          // Origin
    std::string fetch_site;      // Sec-Fetch-Site
    std::string control_token;   // X-Stampede-Token
};

struct guard_settings {
    std::vector<std::string> allowed_hosts;  // names besides IP addresses and localhost (lower case)
    std::string control_token;               // what a state-changing request must carry
};

struct guard_verdict {
    int status = 0;      // 0: admitted; else 400 or 403
    std::string reason;  // why not, for the JSON error
};

inline constexpr std::string_view control_token_header = "X-Stampede-Token";

guard_verdict judge_request(const request_origin& request, const guard_settings& settings);

// The host part of a Host header or an origin's authority (`[::1]:8089` gives `::1`), lower case.
std::string host_name_of(std::string_view authority);

// Headers that keep every answer out of other sites' frames and sniffing.
const std::map<std::string, std::string>& headers_for_every_reply();

// A fresh control token: 128 random bits from OpenSSL, as hex.
std::string make_control_token();

}  // namespace stampede::live
