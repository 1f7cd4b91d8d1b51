// The console's "Service" table: each watched series' first, last, lowest and highest reading,
// and its trend over the run (the least-squares slope, a minute).
#include <fmt/format.h>

#include <ostream>

#include "report/console_reporter.hpp"
#include "report/watch_format.hpp"

namespace stampede::report {

namespace {

constexpr std::size_t most_rows = 40;  // the rest are in the JSON result

std::string cut(const std::string& text, std::size_t width) {
    return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

}  // namespace

void print_service(const run_result& result, std::ostream& out) {
    const auto& w = result.watch;
    if (w.series.empty()) return;
    const auto header = fmt::format("{:<32} {:>14} {:>14} {:>14} {:>14} {:>18}", "Service", "First", "Last", "Min", "Max",
                                    "Trend");
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    for (std::size_t i = 0; i < w.series.size() && i < most_rows; ++i) {
        const auto& s = w.series[i];
        const auto f = w.figures(i);
        if (f.readings == 0) {
            out << fmt::format("{:<32} {:>14}\n", cut(s.name, 32), "no data");
            continue;
        }
        const auto v = [&](double x) { return format_watched(x, s.unit); };
        out << fmt::format("{:<32} {:>14} {:>14} {:>14} {:>14} {:>18}\n", cut(s.name, 32), v(f.first), v(f.last), v(f.min),
                           v(f.max), f.slope ? format_trend(*f.slope, s.unit) : std::string("-"));
    }
    if (w.series.size() > most_rows)
        out << fmt::format("... and {} more series (in the JSON result)\n", w.series.size() - most_rows);
    if (w.stride > 1)
        out << fmt::format("(a long run: one reading in {} kept, {} s apart)\n", w.stride, w.interval_s);
    out << "\n";
}

}  // namespace stampede::report
