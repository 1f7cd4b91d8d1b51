#pragma once
// The service as the run watched it (a scenario's `watch:`): each watched series' reading at
// each of the watch's moments, on one time axis, in the result beside the load's history. A
// moment a source did not answer is a gap (NaN), never a made-up value. A long run keeps its
// memory bounded: past `max_values` readings in all, every other kept moment is dropped and the
// interval between those kept doubles, which the record says.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace stampede::report {

struct watched_series {
    std::string name;    // "active", "opscore.memory"
    std::string unit;    // "s", "B", "B/s", "/s", "cores", "ratio", or "" for a plain number
    std::string source;  // where it is read: "http://127.0.0.1:8080/metrics", "process opscore (pid 42)"
    std::vector<float> values;  // at each kept moment; NaN: no reading
};

// What a series did over the moments from `from_s` on: what the console's table and the
// thresholds on watched series read.
struct series_figures {
    std::size_t readings = 0;  // moments with a value
    double first = 0, last = 0, min = 0, max = 0, avg = 0;
    double first_at_s = 0, last_at_s = 0;
    std::optional<double> slope;   // per second, by least squares; none with fewer than two readings
    std::optional<double> growth;  // the fitted line's rise over the span, as a fraction of where it began
};

struct watch_record {
    static constexpr std::size_t default_max_values = 20'000'000;  // 80 MB of readings

    double interval_s = 1;     // between two kept moments
    double first_at_s = 0;     // the first moment, since the run's start
    std::size_t stride = 1;    // moments of the watch per kept moment (1 until a long run is thinned)
    std::size_t max_values = default_max_values;
    std::vector<watched_series> series;

    std::size_t moments() const { return series.empty() ? 0 : series.front().values.size(); }
    double at_s(std::size_t moment) const { return first_at_s + static_cast<double>(moment) * interval_s; }
    // Moment `tick` of the watch (counted from the first, at the watch's own interval) for the
    // series from `first_series` on, one value each; the moments between the last one kept and
    // this one are gaps.
    void put(std::size_t first_series, std::size_t tick, const std::vector<std::optional<double>>& values);
    // The index of series `name`, if it is watched.
    std::optional<std::size_t> find(const std::string& name) const;
    // Series `index`'s figures over its moments at `from_s` or later (and before `to_s`).
    series_figures figures(std::size_t index, double from_s = -1e300, double to_s = 1e300) const;

private:
    void thin();
};

}  // namespace stampede::report
