// The cluster's run side, under its one mutex: what the run controller and the run loop ask
// (assignments and re-plans, each interval's counts, status, the stop and the quit, the result's
// workers) and the heartbeat thread that keeps every worker hearing from the master and marks
// silent ones lost.
#include "master/cluster.hpp"

#include <spdlog/spdlog.h>

#include "master/data_gaps.hpp"

namespace stampede::master {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

void cluster::rebalance_locked() {
    auto active = active_workers();
    std::vector<worker_share> shares;
    for (auto* w : active) shares.push_back({w->id, w->threads, w->users});
    rebalance(shares, class_totals_);
    const auto ramp = worker_spawn_plan(shares, spawn_rate_);
    // Open-model arrivals: one equal part per load thread of the cluster, in worker order.
    std::uint32_t total_threads = 0;
    for (auto* w : active) total_threads += static_cast<std::uint32_t>(std::max(1, w->threads));
    const auto arrivals_elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - arrivals_origin_);
    std::uint32_t first_thread = 0;
    for (std::size_t i = 0; i < active.size(); ++i) {
        auto& w = *active[i];
        w.users = shares[i].users;
        w.last_users = w.users;
        w.state = worker_state::running;
        if (w.link)
            w.link->send(wire::assignment{w.users, ramp[i].rate, ramp[i].phase, first_thread, total_threads,
                                          static_cast<std::uint64_t>(arrivals_elapsed.count())});
        first_thread += static_cast<std::uint32_t>(std::max(1, w.threads));
    }
    // Users of workers that left are nobody's now.
    for (auto& [id, w] : workers_)
        if (!w->active()) std::fill(w->users.begin(), w->users.end(), 0);
}

bool cluster::workers_ready(int count) {
    std::lock_guard lock(mutex_);
    return static_cast<int>(active_workers().size()) >= count && failure_.empty();
}

void cluster::replan(lang::run_plan plan, std::size_t class_count) {
    std::lock_guard lock(mutex_);
    if (started_) return;  // a running worker's counts are by the plan it runs
    config_.plan = std::move(plan);
    config_.class_count = class_count;
    shared_plan_ = std::make_shared<const lang::run_plan>(config_.plan);
    ++plan_revision_;
    intake_.reshape(config_.class_count);
    class_totals_.assign(config_.class_count, 0);
    for (const auto& id : join_order_) {
        auto& w = *workers_.at(id);
        if (!w.link || !(w.active() || w.state == worker_state::joining)) continue;
        w.state = worker_state::joining;
        welcome(w, *w.link);
    }
}

common::status cluster::health() {
    std::lock_guard lock(mutex_);
    if (failure_.empty()) return {};
    return common::fail(failure_);
}

void cluster::start(std::vector<int> class_totals, double spawn_rate) {
    std::lock_guard lock(mutex_);
    class_totals_ = std::move(class_totals);
    spawn_rate_ = spawn_rate;
    if (!started_) arrivals_origin_ = std::chrono::steady_clock::now();  // the arrival stages begin with the run
    started_ = true;
    rebalance_locked();
}

stats::stats_delta cluster::take_delta() {
    std::optional<wall_clock::time_point> ignored;
    return take_delta(ignored);
}

stats::stats_delta cluster::take_delta(std::optional<wall_clock::time_point>& covered_until) {
    std::lock_guard lock(mutex_);
    return intake_.take(covered_until);
}

taken_interval cluster::take_interval(wall_clock::time_point due) {
    taken_interval out;
    out.delta = take_delta(out.covered_until);
    std::lock_guard lock(mutex_);
    out.late = intake_.take_late();
    out.in_flight = counts_in_flight(due);
    return out;
}

void cluster::close_interval(wall_clock::time_point row_end) {
    std::lock_guard lock(mutex_);
    intake_.close(row_end);
}

// The span of every worker's counts that should have arrived by `due` and have not (see
// worker_liveness); none when every count made is in.
std::optional<time_span> cluster::counts_in_flight(wall_clock::time_point due) const {
    std::optional<time_span> span;
    const auto now = wall_clock::now();
    for (const auto& [id, w] : workers_) {
        const auto one = master::counts_in_flight(*w, due, config_.snapshot_interval, now);
        if (!one) continue;
        if (!span) span = one;
        span->first = std::min(span->first, one->first);
        span->second = std::max(span->second, one->second);
    }
    return span;
}

cluster_status cluster::status() {
    std::lock_guard lock(mutex_);
    cluster_status s;
    s.workers.reserve(join_order_.size());
    std::uint64_t running_users = 0;
    for (const auto& id : join_order_) {
        const auto& w = *workers_.at(id);
        s.workers.push_back({w.id, w.name, w.machine, w.state, static_cast<int>(w.reported_users), w.requests,
                             w.failures, w.cpu_percent, w.rss_bytes, w.last_seen_wall});
        if (!w.active()) continue;
        ++s.workers_active;
        running_users += w.reported_users;
        for (int n : w.users) s.users += n;
    }
    s.running_users = static_cast<int>(std::min<std::uint64_t>(running_users, max_reported_users));
    return s;
}

void cluster::heartbeat_loop() {
    std::unique_lock lock(mutex_);
    auto next = steady::now() + pacing_tick(liveness());
    while (!shutdown_) {
        if (shutdown_requested_.wait_until(lock, next, [&] { return shutdown_; })) break;
        forgive_own_stall(steady::now() - (next - pacing_tick(liveness())));
        next = std::max(next + pacing_tick(liveness()), steady::now());
        // Workers stop their users when the master goes quiet: each hears from us within its
        // quiet limit, an acknowledgement if one is owed, else a ping.
        const auto now = steady::now();
        for (auto& [id, w] : workers_) {
            if (!w->link || !speak_due(liveness(), *w, now)) continue;
            if (w->ack_owed) {
                send_ack(*w, now);
                continue;
            }
            w->link->send(wire::ping{});
            w->last_sent = now;
            w->last_sent_wall = wall_clock::now();
        }
        check_liveness(now);
    }
}

// A master that was itself stopped (SIGSTOP, a suspended VM, swapping) heard nobody in that
// time: the silence is its own, so no worker is judged by it. Each gets a fresh timeout,
// counted from now, to be heard from again.
void cluster::forgive_own_stall(steady::duration since_last_tick) {
    const auto stalled = since_last_tick - pacing_tick(liveness());
    if (stalled < std::max<steady::duration>(config_.heartbeat_timeout / 3, 500ms)) return;
    const auto now = steady::now();
    const auto length = common::format_duration(std::chrono::duration_cast<common::micros>(stalled));
    spdlog::warn("the master was stalled for {}: workers get a fresh {} to be heard from", length,
                 common::format_duration(config_.heartbeat_timeout));
    for (auto& [id, w] : workers_) w->last_seen = std::max(w->last_seen, now);
    events_.push_back({wall_clock::now(), event_kind::master_stalled, "heard nothing for " + length + ": its own pause"});
}

void cluster::check_liveness(steady::time_point now) {
    bool lost_any = false;
    for (auto& [id, w] : workers_) {
        const bool live_state = w->active() || w->state == worker_state::joining;
        const auto limit = w->lost_after.count() > 0 ? w->lost_after : steady::duration(config_.heartbeat_timeout);
        if (!live_state || now - w->last_seen < limit) continue;
        w->state = worker_state::lost;
        w->lost_at = wall_clock::now();
        ++w->link_history.lost;
        lost_any = true;
        const auto silent = common::format_duration(std::chrono::duration_cast<common::micros>(limit));
        event(event_kind::worker_lost, *w, "silent for " + silent);
        spdlog::warn("worker {} lost: silent for {}", w->label(), silent);
        if (w->link) w->link->close();
    }
    if (lost_any && started_ && !stopping_) rebalance_locked();
    if (lost_any) changed_.notify_all();
}

void cluster::stop(common::micros grace) {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    const wire::stop m{static_cast<std::uint32_t>(grace.count() / 1000)};
    for (auto& [id, w] : workers_)
        if (w->link && (w->active() || w->state == worker_state::joining)) w->link->send(m);
    // Done when no worker is still running and every stopped one's snapshots are applied.
    auto settled = [&] {
        for (auto& [id, w] : workers_) {
            if (w->active() || w->state == worker_state::joining) return false;
            if (w->state == worker_state::stopped && w->applied_sequence < w->stopped_at_sequence) return false;
        }
        return true;
    };
    // Grace and 5 s more; and while their snapshots still come in (a slow control link draining
    // what the workers kept), 5 s past the last one, up to a minute more.
    const auto began = steady::now();
    auto deadline = began + grace + 5s;
    auto applied = [&] {
        std::uint64_t n = 0;
        for (auto& [id, w] : workers_) n += w->applied_sequence;
        return n;
    };
    for (auto seen = applied(); !settled();) {
        if (changed_.wait_until(lock, std::min(deadline, steady::now() + 1s)) == std::cv_status::timeout &&
            steady::now() >= deadline)
            break;
        if (const auto now_applied = applied(); now_applied != seen) {
            seen = now_applied;
            deadline = std::min(std::max(deadline, steady::now() + 5s), began + grace + 65s);
        }
    }
    if (!settled())
        spdlog::warn("some workers did not confirm their stop in time: what they counted since their last snapshot "
                     "that arrived is missing");
}

void cluster::quit(const std::string& reason) {
    std::lock_guard lock(mutex_);
    quitting_ = true;
    const wire::quit m{reason};
    for (auto& [id, w] : workers_) {
        if (!w->link) continue;
        w->link->send(m);
        w->link->close(true);
    }
}

void cluster::await_disconnects(common::micros limit) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return by_link_.empty(); });
}

void cluster::describe(run_result& result) {
    std::lock_guard lock(mutex_);
    for (const auto& id : join_order_) {
        const auto& w = *workers_.at(id);
        result.workers.push_back({w.id, w.name, w.machine, w.threads, std::string(state_name(w.state)), w.requests,
                                  w.failures, w.max_cpu_percent, w.rss_bytes, w.last_users, w.link_history});
        result.workers.back().link.lost_after_s = std::chrono::duration<double>(
            w.lost_after.count() > 0 ? w.lost_after : steady::duration(config_.heartbeat_timeout)).count();
    }
    result.events.insert(result.events.end(), events_.begin(), events_.end());
    std::stable_sort(result.events.begin(), result.events.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    result.refused_snapshots = refused_snapshots_;
    for (const auto& id : join_order_)
        if (auto gap = data_gap_of(*workers_.at(id), result.start, result.end, config_.snapshot_interval))
            result.data_gaps.push_back(std::move(*gap));
}

}  // namespace stampede::master
