#include "common/duration.hpp"

#include "common/utf8.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace stampede::common {

namespace {

// Microseconds per unit, longest unit names first so "ms" wins over "m".
struct unit {
    std::string_view name;
    double us;
};
constexpr unit units[] = {{"ms", 1e3}, {"us", 1.0}, {"h", 3600e6}, {"m", 60e6}, {"s", 1e6}};

}  // namespace

result<micros> parse_duration(std::string_view text) {
    const std::string original = shortened_utf8(text, 100);  // as messages quote it
    if (text.empty()) return fail("empty duration");
    double total_us = 0;
    bool any_unit = false;
    while (!text.empty()) {
        std::size_t digits = 0;
        while (digits < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
            ++digits;
        if (digits == 0)
            return fail("invalid duration '" + original + "' (examples: 90s, 10m, 1h30m, 250ms)");
        const std::string number(text.substr(0, digits));
        char* end = nullptr;
        const double value = std::strtod(number.c_str(), &end);
        if (end != number.c_str() + number.size() || !std::isfinite(value))
            return fail("invalid number in duration '" + original + "'");
        text.remove_prefix(digits);
        if (text.empty()) {
            if (any_unit) return fail("missing unit at the end of duration '" + original + "'");
            total_us += value * 1e6;  // a bare number means seconds
            break;
        }
        bool matched = false;
        for (const auto& u : units) {
            if (text.substr(0, u.name.size()) == u.name) {
                total_us += value * u.us;
                text.remove_prefix(u.name.size());
                matched = any_unit = true;
                break;
            }
        }
        if (!matched)
            return fail("unknown unit in duration '" + original + "' (use h, m, s, ms, us)");
    }
    if (total_us > 1e15) return fail("duration '" + original + "' is too long");
    return micros(static_cast<long long>(std::llround(total_us)));
}

std::string format_duration(micros d) {
    long long us = d.count();
    if (us == 0) return "0s";
    if (us % 1000000 != 0) {
        return us % 1000 == 0 ? std::to_string(us / 1000) + "ms" : std::to_string(us) + "us";
    }
    long long s = us / 1000000;
    std::string out;
    if (s >= 3600) out += std::to_string(s / 3600) + "h", s %= 3600;
    if (s >= 60) out += std::to_string(s / 60) + "m", s %= 60;
    if (s > 0) out += std::to_string(s) + "s";
    return out;
}

}  // namespace stampede::common
