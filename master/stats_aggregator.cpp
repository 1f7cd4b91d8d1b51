#include "master/stats_aggregator.hpp"

#include <algorithm>

#include "stats/saturating.hpp"

namespace stampede::master {

stats_aggregator::stats_aggregator(run_result& result, std::size_t window)
    : result_(result), window_size_(std::max<std::size_t>(1, window)) {
    reshape();
}

void stats_aggregator::add(const stats::stats_delta& delta, wall_clock::time_point covered_until, int users) {
    result_.totals.merge(delta);
    const auto interval_start = window_.empty() ? restart_.value_or(result_.start) : window_.back().end;
    // Never before the span's start: a row of no time would give its counts an endless rate.
    const auto now = std::max(covered_until, interval_start + std::chrono::milliseconds(1));
    window_.push_back({interval_start, now, delta.merged_endpoints(), delta.endpoints});
    result_.aggregate.merge(window_.back().total);  // once here, not by every reader
    if (window_.size() > window_size_) window_.pop_front();

    stats::endpoint_stats recent;
    for (const auto& entry : window_) recent.merge(entry.total);
    const double seconds = std::chrono::duration<double>(now - window_.front().start).count();

    history_row row;
    // Whole seconds, as Locust's history CSV has them: the second the span ends in, rounded up,
    // and after the last row's (a short last span must not share its second with the one before).
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    row.unix_time = (ms + 999) / 1000;
    if (!result_.history.empty()) row.unix_time = std::max(row.unix_time, result_.history.back().unix_time + 1);
    row.users = users;
    if (seconds > 0) {
        row.current_rps = static_cast<double>(recent.requests) / seconds;
        row.current_fps = static_cast<double>(recent.failures) / seconds;
    }
    row.current_p50_ms = report::to_ms(recent.latency.percentile(50));
    row.current_p95_ms = report::to_ms(recent.latency.percentile(95));
    const double elapsed = std::chrono::duration<double>(now - result_.start).count();
    row.elapsed_s = elapsed;
    row.total = report::make_row("", "Aggregated", result_.aggregate,
                         std::chrono::duration<double>(now - restart_.value_or(result_.start)).count());
    row.current_p99_ms = report::to_ms(recent.latency.percentile(99));
    row.endpoints = endpoint_points(delta);
    for (const auto& c : delta.classes) {
        row.iterations += c.iterations;
        row.dropped += c.dropped;
        row.classes.push_back({stats::saturating_u32(c.iterations), stats::saturating_u32(c.dropped)});
    }
    result_.history.push_back(std::move(row));
}

std::optional<std::size_t> stats_aggregator::place_late(const stats::stats_delta& delta,
                                                       wall_clock::time_point covered_until, common::micros tolerance) {
    if (result_.history.empty()) return std::nullopt;
    const double at_s = std::chrono::duration<double>(covered_until - result_.start).count() -
                        std::chrono::duration<double>(tolerance).count();
    const auto& rows = result_.history;
    const auto it = std::lower_bound(rows.begin(), rows.end(), at_s,
                                     [](const history_row& r, double t) { return r.elapsed_s < t; });
    const auto index = static_cast<std::size_t>(std::min(it, rows.end() - 1) - rows.begin());
    auto& row = result_.history[index];
    for (std::size_t i = 0; i < row.endpoints.size() && i < delta.endpoints.size(); ++i) {
        row.endpoints[i].requests = stats::saturating_u32(row.endpoints[i].requests + std::uint64_t{delta.endpoints[i].requests});
        row.endpoints[i].failures = stats::saturating_u32(row.endpoints[i].failures + std::uint64_t{delta.endpoints[i].failures});
    }
    for (std::size_t i = 0; i < row.classes.size() && i < delta.classes.size(); ++i) {
        const auto& c = delta.classes[i];
        row.iterations += c.iterations;
        row.dropped += c.dropped;
        row.classes[i] = {stats::saturating_u32(row.classes[i].iterations + c.iterations),
                          stats::saturating_u32(row.classes[i].dropped + c.dropped)};
    }
    if (restart_ && covered_until < *restart_) return index;  // before a reset: not in its totals
    result_.totals.merge(delta);
    const auto merged = delta.merged_endpoints();
    result_.aggregate.merge(merged);
    // The window holds the last rows: entry j is row (rows - window size + j).
    const std::size_t first_in_window = result_.history.size() - window_.size();
    if (index >= first_in_window) {
        auto& entry = window_[index - first_in_window];
        entry.total.merge(merged);
        for (std::size_t i = 0; i < entry.endpoints.size() && i < delta.endpoints.size(); ++i)
            entry.endpoints[i].merge(delta.endpoints[i]);
    }
    return index;
}

// Each endpoint's interval counts, and its percentiles over the same window as the aggregate's.
std::vector<endpoint_point> stats_aggregator::endpoint_points(const stats::stats_delta& delta) const {
    std::vector<endpoint_point> points(delta.endpoints.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        stats::histogram recent;
        for (const auto& entry : window_)
            if (i < entry.endpoints.size()) recent.merge(entry.endpoints[i].latency);
        auto& p = points[i];
        p.requests = stats::saturating_u32(delta.endpoints[i].requests);
        p.failures = stats::saturating_u32(delta.endpoints[i].failures);
        p.p50_ms = static_cast<float>(report::to_ms(recent.percentile(50)));
        p.p95_ms = static_cast<float>(report::to_ms(recent.percentile(95)));
        p.p99_ms = static_cast<float>(report::to_ms(recent.percentile(99)));
        p.max_ms = static_cast<float>(report::to_ms(recent.max()));
    }
    return points;
}

void stats_aggregator::reshape() {
    result_.totals = stats::stats_delta(result_.endpoints.size(), result_.checks.size(), result_.user_classes.size());
}

void stats_aggregator::reset() {
    reshape();
    result_.aggregate = {};
    // The next interval starts where the last one ended, as if the run began there.
    restart_ = window_.empty() ? result_.start : window_.back().end;
    result_.stats_reset_at = restart_;
    window_.clear();
}

const history_row& stats_aggregator::latest() const { return result_.history.back(); }

double stats_aggregator::latest_interval_seconds() const {
    return std::chrono::duration<double>(window_.back().end - window_.back().start).count();
}

}  // namespace stampede::master
