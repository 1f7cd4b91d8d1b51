#include "cli/flag_checks.hpp"

#include <boost/asio/ip/address.hpp>

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
