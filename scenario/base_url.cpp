#include "scenario/base_url.hpp"

#include <algorithm>
#include <string_view>

#include "common/utf8.hpp"

namespace stampede::lang {


std::string base_url::authority() const {
    const std::string name = ipv6() ? "[" + host + "]" : host;
    return port == (tls() ? "443" : "80") ? name : name + ":" + port;
}

namespace {

constexpr std::size_t max_host_name = 253;

bool valid_port(const std::string& port) {
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return false;
    const int n = std::stoi(port);
    return n > 0 && n <= 65535;
}

}  // namespace

common::result<base_url> parse_host_url(const std::string& url) {
    // The URL as written, shortened: it may be the oversized part.
    auto fail = [&](std::string why) { return common::fail("host '" + common::shortened_utf8(url, 300) + "': " + why); };
    base_url h;
    std::string_view rest(url);
    const auto scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos)
        return fail("must start with http://, https://, ws:// or wss:// (for example http://127.0.0.1:8080)");
    h.scheme = std::string(rest.substr(0, scheme_end));
    if (h.scheme != "http" && h.scheme != "https" && h.scheme != "ws" && h.scheme != "wss")
        return fail("unsupported scheme '" + common::shortened_utf8(h.scheme, 40) + "'; use http://, https://, ws:// or wss://");
    if (h.tls()) h.port = "443";
    rest.remove_prefix(scheme_end + 3);
    if (rest.find_first_of("?#") != std::string_view::npos)
        return fail("a base URL takes no query or fragment (put them in each request's path)");
    const auto path_start = rest.find('/');
    std::string_view authority = rest.substr(0, path_start);
    if (path_start != std::string_view::npos) h.base_path = std::string(rest.substr(path_start));
    while (!h.base_path.empty() && h.base_path.back() == '/') h.base_path.pop_back();
    if (authority.find('@') != std::string_view::npos)
        return fail("user info (user:password@) is not supported; send credentials in a header, "
                    "e.g. headers: {Authorization: \"Basic ...\"}");
    std::string_view port;
    if (authority.starts_with('[')) {  // an IPv6 literal, RFC 3986 section 3.2.2
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return fail("'[' without ']' around an IPv6 address");
        h.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':') return fail("unexpected text after ']'");
        if (!after.empty()) port = after.substr(1);
        if (h.host.empty() || h.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
            return fail("'" + h.host + "' is not an IPv6 address");
    } else {
        const auto colon = authority.rfind(':');
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
        h.host = std::string(authority.substr(0, colon));
        if (h.host.find(':') != std::string::npos) return fail("an IPv6 address goes in brackets, as in http://[::1]:8080");
    }
    if (!port.empty() || authority.ends_with(':')) {
        h.port = std::string(port);
        if (!valid_port(h.port)) return fail("invalid port '" + h.port + "' (1 to 65535)");
    }
    if (h.host.empty()) return fail("has no host name");
    if (h.host.size() > max_host_name) return fail("a host name is at most 253 characters (RFC 1035)");
    return h;
}

}  // namespace stampede::lang
