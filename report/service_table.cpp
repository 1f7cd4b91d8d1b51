// The console's "Service" table: each watched series' first, last, lowest and highest reading,
// and its trend over the run (the least-squares slope, a minute).
#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "report/console_reporter.hpp"
#include "watch/value_text.hpp"

namespace stampede::report {

using watch::format_trend;
using watch::format_watched;

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

void print_service_by_stage(const run_result& result, std::ostream& out) {
    const auto& w = result.watch;
    if (w.series.empty() || result.stages.empty()) return;
    constexpr std::size_t most_columns = 6;
    const std::size_t columns = std::min(w.series.size(), most_columns);
    std::string header = fmt::format("{:<12} {:>8}", "Service at", "users");
    for (std::size_t i = 0; i < columns; ++i) header += fmt::format(" {:>16}", cut(w.series[i].name, 16));
    out << header << "\n" << std::string(header.size(), '-') << "\n";
    for (const auto& st : result.stages) {
        out << fmt::format("{:<12} {:>8}", cut(st.name, 12), st.users);
        for (std::size_t i = 0; i < columns; ++i)
            out << fmt::format(" {:>16}", i < st.service.size() ? format_watched(st.service[i], w.series[i].unit) : "-");
        out << "\n";
    }
    if (w.series.size() > columns)
        out << fmt::format("(each stage's average; {} more series in the JSON result's stages)\n", w.series.size() - columns);
    else
        out << "(each stage's average)\n";
    out << "\n";
}

}  // namespace stampede::report
