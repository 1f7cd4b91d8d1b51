#include "scenario/watched_condition.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "common/duration.hpp"
#include "common/number_text.hpp"
#include "watch/value_text.hpp"

namespace stampede::lang {

namespace {

using common::fail;

constexpr std::pair<std::string_view, watch_stat> stats[] = {
    {"min", watch_stat::min},   {"max", watch_stat::max},     {"avg", watch_stat::avg},
    {"first", watch_stat::first}, {"last", watch_stat::last}, {"slope", watch_stat::slope},
    {"growth", watch_stat::growth},
};
constexpr const char* stat_list = "min, max, avg, first, last, slope, growth";

using common::finite_number;
using common::trim_spaces;

// A number, a percentage, a size or a duration, in the series' unit.
common::result<double> magnitude(std::string_view text) {
    if (auto v = finite_number(text)) return *v;
    if (!text.empty() && text.back() == '%') {
        if (auto v = finite_number(trim_spaces(text.substr(0, text.size() - 1)))) return *v / 100;
    }
    // A size, which may have a fraction here (4.5MiB): a limit, not a buffer to allocate.
    constexpr std::pair<std::string_view, double> sizes[] = {
        {"TiB", 1099511627776.0}, {"GiB", 1073741824.0}, {"MiB", 1048576.0}, {"KiB", 1024.0}, {"B", 1.0}};
    for (const auto& [unit, factor] : sizes)
        if (text.ends_with(unit)) {
            if (auto v = finite_number(trim_spaces(text.substr(0, text.size() - unit.size())))) return *v * factor;
            return fail("'" + std::string(text) + "' is not a size such as 512MiB or 1.5GiB");
        }
    if (auto d = common::parse_duration(text)) return static_cast<double>(d->count()) / 1e6;
    return fail("'" + std::string(text) + "' is not a number, a percentage (5%), a size (512MiB) or a duration (300ms)");
}

}  // namespace

std::string_view to_string(watch_stat stat) {
    for (const auto& [name, s] : stats)
        if (s == stat) return name;
    return "?";
}

common::result<watched_figure> parse_watched_figure(std::string_view left) {
    left = trim_spaces(left);
    const auto space = left.find(' ');
    if (!left.starts_with(watched_prefix) || space == std::string_view::npos)
        return fail("a threshold on a watched series reads 'watch.NAME STAT OP VALUE' (STAT one of " + std::string(stat_list) +
                    "), such as 'watch.active max < 150'");
    watched_figure f;
    f.series = std::string(left.substr(watched_prefix.size(), space - watched_prefix.size()));
    const auto stat = trim_spaces(left.substr(space + 1));
    if (f.series.empty()) return fail("'watch.' names no series");
    for (const auto& [name, s] : stats)
        if (name == stat) {
            f.stat = s;
            return f;
        }
    return fail("unknown figure '" + std::string(stat) + "' of a watched series (one of " + std::string(stat_list) + ")");
}

common::result<double> parse_watched_value(watch_stat stat, std::string_view text) {
    text = trim_spaces(text);
    if (stat != watch_stat::slope) return magnitude(text);
    const auto slash = text.rfind('/');
    if (slash == std::string_view::npos) return magnitude(text);  // a second's
    const auto per = trim_spaces(text.substr(slash + 1));
    const double seconds = per == "s" ? 1 : per == "min" ? 60 : per == "h" ? 3600 : 0;
    if (seconds == 0) return fail("a slope is a rate: per s, min or h (1MiB/min), not per '" + std::string(per) + "'");
    auto amount = magnitude(trim_spaces(text.substr(0, slash)));
    if (!amount) return amount.why();
    return *amount / seconds;
}

std::string format_watched_measured(const watched_figure& f, double measured) {
    if (f.stat == watch_stat::growth) return fmt::format("{:+.2f} %", 100 * measured);
    if (f.stat == watch_stat::slope) return watch::format_trend(measured, f.unit);
    return watch::format_watched(measured, f.unit);
}

}  // namespace stampede::lang
