#include "report/watch_record.hpp"

#include <cmath>
#include <limits>

namespace stampede::report {

void watch_record::put(std::size_t first_series, std::size_t tick, const std::vector<std::optional<double>>& values) {
    if (tick % stride != 0) return;  // a thinned record keeps every stride-th moment
    const std::size_t moment = tick / stride;
    if (moment >= moments() && (moment + 1) * series.size() > max_values && series.size() * 2 <= max_values) {
        thin();
        put(first_series, tick, values);
        return;
    }
    const float gap = std::numeric_limits<float>::quiet_NaN();
    for (auto& s : series)
        if (s.values.size() <= moment) s.values.resize(moment + 1, gap);
    for (std::size_t i = 0; i < values.size() && first_series + i < series.size(); ++i)
        if (values[i] && std::isfinite(*values[i]) && std::abs(*values[i]) <= std::numeric_limits<float>::max())
            series[first_series + i].values[moment] = static_cast<float>(*values[i]);  // past a float's range: a gap
}

// Every other moment dropped: the record spans the same time in half the readings.
void watch_record::thin() {
    for (auto& s : series) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < s.values.size(); i += 2) s.values[kept++] = s.values[i];
        s.values.resize(kept);
    }
    stride *= 2;
    interval_s *= 2;
}

std::optional<std::size_t> watch_record::find(const std::string& name) const {
    for (std::size_t i = 0; i < series.size(); ++i)
        if (series[i].name == name) return i;
    return std::nullopt;
}

series_figures watch_record::figures(std::size_t index, double from_s, double to_s) const {
    series_figures f;
    if (index >= series.size()) return f;
    // Least squares over (t, v): sums taken about the first reading, for precision.
    double sum = 0, st = 0, sv = 0, stt = 0, stv = 0;
    const auto& values = series[index].values;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double t = at_s(i);
        if (t < from_s || t >= to_s || std::isnan(values[i])) continue;
        const double v = values[i];
        if (f.readings++ == 0) {
            f.first = f.min = f.max = v;
            f.first_at_s = t;
        }
        f.last = v;
        f.last_at_s = t;
        f.min = std::min(f.min, v);
        f.max = std::max(f.max, v);
        sum += v;
        const double dt = t - f.first_at_s;
        st += dt, sv += v, stt += dt * dt, stv += dt * v;
    }
    if (f.readings == 0) return f;
    const double n = static_cast<double>(f.readings);
    f.avg = sum / n;
    const double spread = n * stt - st * st;
    if (f.readings >= 2 && spread > 0) {
        f.slope = (n * stv - st * sv) / spread;
        const double start = (sv - *f.slope * st) / n;  // the fitted line at the first reading
        const double rise = *f.slope * (f.last_at_s - f.first_at_s);
        if (start != 0) f.growth = rise / std::abs(start);
    }
    return f;
}

}  // namespace stampede::report
