#include "master/worker_timeline.hpp"

#include <algorithm>
#include <limits>

#include "stats/saturating.hpp"

namespace stampede::master {

void worker_timeline::add(const std::vector<worker_sample>& workers) {
    // The cluster's samples hold every worker the run has seen, so each series gains a point
    // per row from the one it first appeared in: the columns stay aligned with the history.
    if (result_.history.empty()) return;
    for (const auto& w : workers) {
        auto& series = series_of(w);
        auto& last = last_requests_[index_.at(w.id)];
        const std::uint64_t now = std::max(w.requests, last);
        series.requests.push_back(stats::saturating_u32(now - last));
        last = now;
        const bool connected = w.state != worker_state::lost && w.state != worker_state::quit;
        series.cpu_percent.push_back(connected ? static_cast<float>(w.cpu_percent)
                                               : std::numeric_limits<float>::quiet_NaN());
    }
}

void worker_timeline::place_late(const std::string& worker_id, std::size_t row, std::uint64_t requests) {
    const auto it = index_.find(worker_id);
    if (it == index_.end()) return;  // not seen at any tick: its samples count them where they come
    auto& series = result_.workers_over_time[it->second];
    last_requests_[it->second] += requests;
    if (series.requests.empty()) return;
    const std::size_t i = row < series.first_row ? 0 : std::min(row - series.first_row, series.requests.size() - 1);
    series.requests[i] = stats::saturating_u32(series.requests[i] + requests);
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
