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

worker_series& worker_timeline::series_of(const worker_sample& w) {
    auto [it, added] = index_.try_emplace(w.id, result_.workers_over_time.size());
    if (added) {
        result_.workers_over_time.push_back({w.id, w.name, result_.history.size() - 1, {}, {}});
        last_requests_.push_back(0);
    }
    return result_.workers_over_time[it->second];
}

}  // namespace stampede::master
