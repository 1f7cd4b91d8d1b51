#pragma once
// Numbers and words as people write them in conditions: a finite number read whole (no unit,
// nothing after it), and spaces trimmed from both ends.
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace stampede::common {

// `text` as a finite number, when it is one and nothing else.
inline std::optional<double> finite_number(std::string_view text) {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

inline std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace stampede::common
