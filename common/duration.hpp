#pragma once
// Human durations as users type them: "90s", "10m", "1h30m", "250ms", "1.5s", or a bare
// number of seconds. The same grammar serves flags (-t) and scenario files.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::common {

using micros = std::chrono::microseconds;

// Returns the duration, or nullopt with a reason in *error.
std::optional<micros> parse_duration(std::string_view text, std::string* error = nullptr);
// "1h30m5s", "250ms", "0s": the shortest exact rendering parse_duration accepts.
std::string format_duration(micros d);

}  // namespace stampede::common
