#pragma once
// Human durations as users type them: "90s", "10m", "1h30m", "250ms", "1.5s", or a bare
// number of seconds. The same grammar serves flags (-t) and scenario files.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace stampede::common {

using micros = std::chrono::microseconds;

// The duration, or why the text is not one.
result<micros> parse_duration(std::string_view text);
// "1h30m5s", "250ms", "0s": the shortest exact rendering parse_duration accepts.
std::string format_duration(micros d);

// Microseconds elapsed on the steady clock since `began`: a phase or a latency to record.
inline std::uint64_t micros_since(std::chrono::steady_clock::time_point began) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<micros>(std::chrono::steady_clock::now() - began).count());
}

}  // namespace stampede::common
