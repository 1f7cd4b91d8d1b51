#include "watch/value_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stampede::watch {

namespace {

std::string bytes(double v) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (std::abs(v) >= 1024 && i < 4) v /= 1024, ++i;
    return i == 0 ? fmt::format("{:.0f} B", v) : fmt::format("{:.1f} {}", v, units[i]);
}

std::string seconds(double v) {
    const double a = std::abs(v);
    if (a > 0 && a < 1e-3) return fmt::format("{:.1f} µs", v * 1e6);
    if (a < 1) return fmt::format("{:.1f} ms", v * 1e3);
    return fmt::format("{:.2f} s", v);
}

std::string plain(double v) {
    const double a = std::abs(v);
    if (a != 0 && (a >= 1e7 || a < 1e-3)) return fmt::format("{:.3g}", v);
    return a >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.3g}", v);
}

}  // namespace

std::string format_watched(double value, std::string_view unit) {
    if (!std::isfinite(value)) return "-";
    if (unit == "B") return bytes(value);
    if (unit == "B/s") return bytes(value) + "/s";
    if (unit == "s") return seconds(value);
    if (unit == "ratio") return fmt::format("{:.1f} %", 100 * value);
    if (unit == "cores") return fmt::format("{:.2f} cores", value);
    if (unit == "/s") return plain(value) + "/s";
    if (unit.empty()) return plain(value);
    return plain(value) + " " + std::string(unit);
}

std::string format_trend(double per_second, std::string_view unit) {
    const double per_minute = per_second * 60;
    const std::string sign = per_minute > 0 ? "+" : "";
    if (unit == "ratio") return fmt::format("{}{:.2f} pt/min", sign, 100 * per_minute);
    return sign + format_watched(per_minute, unit) + "/min";
}

}  // namespace stampede::watch
