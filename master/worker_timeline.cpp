#include "master/worker_timeline.hpp"

#include <algorithm>
#include <limits>

namespace stampede::master {

void worker_timeline::add(const std::vector<worker_sample>& workers) {
    if (result_.history.empty()) return;
    const std::size_t row = result_.history.size() - 1;
    for (const auto& w : workers) {
        auto& series = series_of(w);
        auto& last = last_requests_[index_.at(w.id)];
        const std::uint64_t now = std::max(w.requests, last);
        series.requests.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(now - last, UINT32_MAX)));
        last = now;
        const bool connected = w.state != worker_state::lost && w.state != worker_state::quit;
        series.cpu_percent.push_back(connected ? static_cast<float>(w.cpu_percent)
                                               : std::numeric_limits<float>::quiet_NaN());
    }
    // A series whose worker the samples no longer hold (none today) still keeps the rows aligned.
    for (auto& series : result_.workers_over_time)
        while (series.first_row + series.requests.size() < row + 1) {
            series.requests.push_back(0);
            series.cpu_percent.push_back(std::numeric_limits<float>::quiet_NaN());
        }
}

worker_series& worker_timeline::series_of(const worker_sample& w) {
    auto [it, added] = index_.try_emplace(w.id, result_.workers_over_time.size());
    if (added) {
        result_.workers_over_time.push_back({w.id, w.name, result_.history.size() - 1, {}, {}});
        last_requests_.push_back(0);
    }
    return result_.workers_over_time[it->second];
}

}  // namespace stampede::master
