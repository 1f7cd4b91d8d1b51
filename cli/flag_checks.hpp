#pragma once
// Checks of flag values that CLI11's own validators get wrong for a load tester: NaN passes
// a range check, a number past the range is printed with 300 digits, and an address is not
// a number at all. Each returns "" or the reason (CLI11 puts the flag's name before it).
#include <string>

namespace stampede::cli {

// The most load threads one process may run, and workers one `run` may start: past that the
// system's thread limit turns into an abort instead of a message.
inline constexpr int max_threads = 1024;
inline constexpr int max_local_workers = 256;

std::string check_duration(const std::string& text);
// A finite number in (0, max]; the message states the range as written here.
std::string check_positive(const std::string& text, double max);
// A whole number in [low, high].
std::string check_whole(const std::string& text, long long low, long long high);
// HOST:PORT, [IPv6]:PORT; port 1-65535 (0 too when `any_port`, to pick a free one).
std::string check_address(const std::string& text, bool any_port);
// An IPv4 or IPv6 address (no name: the web server binds it as given).
std::string check_ip(const std::string& text);
// user:password, neither empty.
std::string check_user_password(const std::string& text);
// A DNS name as a Host header gives it, without a port; made lower case.
std::string check_host_name(std::string& text);
// 16 to 256 printable ASCII characters, no space: it travels in a header.
std::string check_control_token(const std::string& text);

}  // namespace stampede::cli
