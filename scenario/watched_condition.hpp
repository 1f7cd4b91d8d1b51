#pragma once
// Conditions on a watched series of the service, as scenarios write them:
// `watch.modular_active_executions max < 150`, `watch.cache_hit_ratio avg > 0.6`,
// `watch.opscore.memory growth < 5%`, `watch.opscore.memory slope < 1MiB/min`. The left side
// names the series and what is read of it; the value is in the series' unit, written as a
// number, a percentage, a size or a duration, and for a slope as a rate.
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "scenario/threshold.hpp"

namespace stampede::lang {

inline constexpr std::string_view watched_prefix = "watch.";

// "watch.NAME STAT": which series and what of it; why not.
common::result<watched_figure> parse_watched_figure(std::string_view left);
// The value in the series' unit: a number, a percentage (5% is 0.05), a size (512MiB, in
// bytes), a duration (300ms, in seconds); for a slope, a rate (1MiB/min, 10/s, 2/h) taken as a
// second's, a bare number being a second's already. Why not, naming what was expected.
common::result<double> parse_watched_value(watch_stat stat, std::string_view text);
// A measured value as the series' unit writes it ("412.0 MiB", "+1.0 MiB/min", "3.10 %").
std::string format_watched_measured(const watched_figure& f, double measured);
std::string_view to_string(watch_stat stat);

}  // namespace stampede::lang
