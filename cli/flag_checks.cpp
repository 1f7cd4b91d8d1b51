#include "cli/flag_checks.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "common/duration.hpp"
#include "common/utf8.hpp"

namespace stampede::cli {

namespace {

// A value quoted back in a message: a variable or a config line may hold 100 KB.
std::string quoted(const std::string& text) {
    return text.size() <= 100 ? text : common::shortened_utf8(text, 100) + " (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace

// CLI11's validators say "" for a valid value, else why not.
std::string check_duration(const std::string& text) {
    auto d = common::parse_duration(text);
    return d ? std::string() : d.error();
}

std::string check_positive(const std::string& text, double max) {
    double value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value) || value <= 0 || value > max)
        return fmt::format("must be a number above 0 and at most {}, got '{}'", max, quoted(text));
    return {};
}

std::string check_whole(const std::string& text, long long low, long long high) {
    long long value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || value < low || value > high)
        return fmt::format("must be a whole number from {} to {}, got '{}'", low, high, quoted(text));
    return {};
}

std::string check_address(const std::string& text, bool any_port) {
    const auto colon = text.rfind(':');
    const auto usage = fmt::format("expected HOST:PORT (for example 10.0.0.5:5557), got '{}'", quoted(text));
    if (colon == std::string::npos || colon == 0) return usage;
    const auto host = text.substr(0, colon);
    if (host.size() > 255) return "a host name is at most 253 characters (RFC 1035)";
    if (host.find(':') != std::string::npos && (host.front() != '[' || host.back() != ']'))
        return "an IPv6 address goes in brackets, as in [::1]:5557";
    if (!check_whole(text.substr(colon + 1), any_port ? 0 : 1, 65535).empty())
        return fmt::format("the port must be from {} to 65535, got '{}'", any_port ? 0 : 1, text.substr(colon + 1));
    return {};
}

std::string check_ip(const std::string& text) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(text, ec);
    if (ec) return fmt::format("expected an IP address such as 127.0.0.1, 0.0.0.0 or ::1, got '{}'", quoted(text));
    return {};
}

}  // namespace stampede::cli

namespace stampede::cli {

std::string check_user_password(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos) return "expected user:password";
    if (colon == 0) return "the user before ':' is empty";
    if (colon + 1 == text.size()) return "the password after ':' is empty";
    return {};
}

std::string check_host_name(std::string& text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    if (text.empty() || text.size() > 253) return "a host name is 1 to 253 characters (RFC 1035)";
    for (const unsigned char c : text)
        if (!std::isalnum(c) && c != '-' && c != '.' && c != '_')
            return fmt::format("a host name holds letters, digits, '-', '.' and '_' only (no port), got '{}'", quoted(text));
    return {};
}

std::string check_control_token(const std::string& text) {
    if (text.size() < 16 || text.size() > 256) return "a control token is 16 to 256 characters";
    for (const unsigned char c : text)
        if (c <= 0x20 || c >= 0x7f) return "a control token is printable ASCII without spaces (it travels in a header)";
    return {};
}

}  // namespace stampede::cli
