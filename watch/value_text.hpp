#pragma once
// A watched series' value as a person reads it, in its unit: "512.0 MiB", "0.42 cores",
// "81.3 %", "12.5/s", "4.1 ms", "3.2 MiB/s"; and its trend, the same a minute ("+1.0 MiB/min").
#include <string>
#include <string_view>

namespace stampede::watch {

std::string format_watched(double value, std::string_view unit);
std::string format_trend(double per_second, std::string_view unit);

}  // namespace stampede::watch
