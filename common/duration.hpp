#pragma once
// Human durations as users type them: "90s", "10m", "1h30m", "250ms", "1.5s", or a bare
// number of seconds. The same grammar serves flags (-t) and scenario files.
#include <chrono>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace stampede::common {

using micros = std::chrono::microseconds;

// The duration, or why the text is not one.
result<micros> parse_duration(std::string_view text);
// "1h30m5s", "250ms", "0s": the shortest exact rendering parse_duration accepts.
std::string format_duration(micros d);

}  // namespace stampede::common
