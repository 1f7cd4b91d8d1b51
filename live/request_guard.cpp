#include "live/request_guard.hpp"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace stampede::live {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// An address literal cannot be rebound to another machine by DNS, so any one is this server's
// as far as a browser can tell: a page can only use it if it was loaded from it.
bool is_ip_literal(const std::string& host) {
    std::array<unsigned char, 16> bytes{};
    return inet_pton(AF_INET, host.c_str(), bytes.data()) == 1 || inet_pton(AF_INET6, host.c_str(), bytes.data()) == 1;
}

bool host_allowed(const std::string& host_header, const guard_settings& settings) {
    const auto name = host_name_of(host_header);
    if (name.empty()) return false;
    if (is_ip_literal(name) || name == "localhost") return true;
    return std::find(settings.allowed_hosts.begin(), settings.allowed_hosts.end(), name) != settings.allowed_hosts.end();
}

// Whether an Origin is this server as the Host header names it (http or https, as a TLS proxy
// in front would make it).
bool same_origin(const std::string& origin, const std::string& host_header) {
    const auto o = lower(origin);
    for (const std::string_view scheme : {"http://", "https://"})
        if (o.starts_with(scheme)) return o.substr(scheme.size()) == lower(host_header);
    return false;
}

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD"; }

std::string quoted(const std::string& text) {
    std::string out;
    for (const char c : text.substr(0, 100)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return "'" + out + "'";
}

}  // namespace

std::string host_name_of(std::string_view authority) {
    if (authority.starts_with("[")) {
        const auto close = authority.find(']');
        return close == std::string_view::npos ? "" : lower(authority.substr(1, close - 1));
    }
    return lower(authority.substr(0, authority.find(':')));
}

guard_verdict judge_request(const request_origin& r, const guard_settings& settings) {
    if (r.host.empty() && !r.http_1_0) return {400, "a request of HTTP/1.1 needs a Host header"};
    if (!r.host.empty() && !host_allowed(r.host, settings))
        return {403, "this server does not answer to the name " + quoted(host_name_of(r.host)) +
                         " (another site's name pointing here); allow it with --web-allowed-host"};
    if (!changes_state(r.method)) return {};
    if (!r.fetch_site.empty() && r.fetch_site != "same-origin" && r.fetch_site != "none")
        return {403, "a request from another site (Sec-Fetch-Site: " + quoted(r.fetch_site) + ") cannot change the run"};
    if (!r.origin.empty() && !same_origin(r.origin, r.host))
        return {403, "a request from another origin (" + quoted(r.origin) + ") cannot change the run"};
    const auto& expected = settings.control_token;
    if (expected.empty() || r.control_token.size() != expected.size() ||
        CRYPTO_memcmp(r.control_token.data(), expected.data(), expected.size()) != 0)
        return {403, std::string("a request that changes the run needs the control token in the ") +
                         std::string(control_token_header) + " header (GET /api/token gives it; or set it with --web-token)"};
    return {};
}

const std::map<std::string, std::string>& headers_for_every_reply() {
    static const std::map<std::string, std::string> headers{
        {"X-Frame-Options", "DENY"},
        {"Content-Security-Policy", "frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cross-Origin-Resource-Policy", "same-origin"},
    };
    return headers;
}

std::string make_control_token() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("OpenSSL could not make a random control token");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

}  // namespace stampede::live
