// The cluster's stream side, under its one mutex: what workers say (hello, snapshots,
// heartbeats, state changes, goodbyes) and the acknowledgement pacing. What the run asks of the
// cluster (assignments, intervals, liveness, the stop) is in cluster_control.cpp; admission,
// liveness rules, the intake of counts and the worker's record are parts of their own.
#include "master/cluster.hpp"

#include <spdlog/spdlog.h>

#include <cmath>

#include "common/overloaded.hpp"
#include "common/utf8.hpp"
#include "proto/snapshot_codec.hpp"

namespace stampede::master {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

cluster::cluster(cluster_config config)
    : config_(std::move(config)),
      shared_plan_(std::make_shared<const lang::run_plan>(config_.plan)),
      intake_(config_.endpoint_count, config_.check_count, config_.class_count, config_.snapshot_interval) {
    class_totals_.assign(config_.class_count, 0);
    heartbeat_ = std::thread([this] { heartbeat_loop(); });
}

cluster::~cluster() {
    {
        std::lock_guard lock(mutex_);
        shutdown_ = true;
    }
    changed_.notify_all();
    shutdown_requested_.notify_all();
    heartbeat_.join();
}

void cluster::event(event_kind kind, const worker& w, const std::string& detail) {
    events_.push_back({wall_clock::now(), kind, w.name + (detail.empty() ? "" : ": " + detail)});
}

cluster::worker* cluster::find(worker_link& link) {
    const auto it = by_link_.find(&link);
    return it == by_link_.end() ? nullptr : it->second;
}

void cluster::attach(worker& w, worker_link* link) {
    if (w.link) by_link_.erase(w.link);
    w.link = link;
    if (link) by_link_[link] = &w;
}

std::vector<cluster::worker*> cluster::active_workers() {
    std::vector<worker*> out;
    for (const auto& id : join_order_)
        if (auto& w = workers_.at(id); w->active()) out.push_back(w.get());
    return out;
}

void cluster::refuse(worker_link& link, const std::string& reason) {
    link.send(wire::refusal{reason});
    link.close(true);
}

void cluster::on_hello(worker_link& link, const wire::hello& hello) {
    std::lock_guard lock(mutex_);
    if (auto admitted = admissible(hello, link.peer(), {config_.token, quitting_}); !admitted)
        return refuse(link, admitted.error());
    auto& slot = workers_[hello.worker_id];
    const bool returning = slot != nullptr;
    if (!returning) {
        if (workers_.size() > config_.max_workers) {
            workers_.erase(hello.worker_id);
            return refuse(link, "this master already has its maximum of " + std::to_string(config_.max_workers) + " workers");
        }
        slot = std::make_unique<worker>();
        slot->id = hello.worker_id;
        join_order_.push_back(slot->id);
    } else if (slot->link && slot->link != &link) {
        slot->link->close();  // a stale stream of the same worker
        attach(*slot, nullptr);
    }
    auto& w = *slot;
    enter_hello(w, hello, liveness());
    attach(w, &link);
    w.state = worker_state::joining;
    if (returning) {
        ++w.link_history.rejoined;
        w.link_history.longest_silence_s =
            std::max(w.link_history.longest_silence_s, std::chrono::duration<double>(steady::now() - w.last_seen).count());
    }
    w.last_seen = steady::now();
    event(returning ? event_kind::worker_reconnected : event_kind::worker_joined, w, std::to_string(w.threads) + " threads");
    spdlog::info("worker {} {} from {} with {} thread(s)", w.label(), returning ? "reconnected" : "joined",
                 link.peer(), w.threads);
    welcome(w, link);
}

// The run plan, what the master has of this worker, and the intervals.
void cluster::welcome(worker& w, worker_link& link) {
    const auto ms = [](common::micros d) { return static_cast<std::uint32_t>(d.count() / 1000); };
    link.send(wire::welcome{config_.run_id, shared_plan_, w.applied_sequence, ms(config_.snapshot_interval),
                            ms(config_.heartbeat_interval), ms(config_.master_timeout), plan_revision_,
                            !config_.token.empty()});
    w.last_sent = steady::now();
    w.last_sent_wall = wall_clock::now();
    w.ack_owed = false;  // the welcome says what the master has
    changed_.notify_all();
}

void cluster::on_message(worker_link& link, const wire::worker_message& message) {
    std::lock_guard lock(mutex_);
    worker* w = find(link);
    if (!w) return;  // a stream the cluster already let go of
    const auto now = steady::now();
    auto& history = w->link_history;
    history.longest_silence_s = std::max(history.longest_silence_s, std::chrono::duration<double>(now - w->last_seen).count());
    w->last_seen = now;
    w->last_seen_wall = wall_clock::now();
    std::visit(common::overloaded{
                   [&](const wire::received_snapshot& s) { handle_snapshot(*w, s); },
                   [&](const wire::state_change& s) { handle_state(*w, s); },
                   [&](const wire::heartbeat& hb) { handle_heartbeat(*w, hb); },
                   [&](const wire::goodbye& bye) { handle_goodbye(*w, bye); },
                   [&](const wire::hello&) { ignore(*w, "a second hello on its stream"); },
                   [&](const wire::unknown_message&) { ignore(*w, "a message of no kind this master knows"); },
               },
               message);
    if (!std::holds_alternative<wire::received_snapshot>(message) || stopping_) changed_.notify_all();
}

void cluster::handle_goodbye(worker& w, const wire::goodbye& bye) {
    w.state = worker_state::quit;
    const auto reason = common::shortened_utf8(bye.reason, max_reason_bytes);
    event(event_kind::worker_quit, w, reason);
    spdlog::info("worker {} quit: {}", w.label(), reason);
    if (started_ && !stopping_) rebalance_locked();
}

void cluster::handle_heartbeat(worker& w, const wire::heartbeat& hb) {
    w.reported_sequence = std::max(w.reported_sequence, hb.last_sequence);
    w.reported_requests = std::max(w.reported_requests, hb.requests_counted);
    // What a worker says of its own process is only shown, but shown everywhere: a figure no
    // process can have is left out rather than spread through the result and the charts.
    if (std::isfinite(hb.cpu_percent) && hb.cpu_percent >= 0) {
        w.cpu_percent = hb.cpu_percent;
        w.max_cpu_percent = std::max(w.max_cpu_percent, hb.cpu_percent);
    }
    w.rss_bytes = hb.rss_bytes;
    w.link_history.merged_intervals = std::max(w.link_history.merged_intervals, hb.merged_intervals);
    if (w.applied_sequence >= w.reported_sequence) w.all_in_wall = wall_clock::now();
    w.reported_users = std::min(hb.users, max_reported_users);
    // A worker near saturation delays its own requests: its latencies grow.
    if (hb.cpu_percent > 90.0 * w.threads && !w.warned_cpu) {
        w.warned_cpu = true;
        spdlog::warn("worker {} runs at {:.0f}% CPU: its latency figures may be inflated; add workers", w.label(),
                     hb.cpu_percent);
        event(event_kind::worker_cpu_high, w, fmt::format("{:.0f}% CPU", hb.cpu_percent));
    }
}

// Snapshots applied before an acknowledgement goes anyway: a worker that waits long for one takes
// its link for behind and merges its next intervals (snapshot_outbox).
constexpr std::uint64_t acks_at_most_every = 2;

void cluster::handle_snapshot(worker& w, const wire::received_snapshot& snapshot) {
    if (const auto hb = snapshot.carried_heartbeat()) handle_heartbeat(w, *hb);
    const auto sequence = snapshot.sequence();
    // A worker holds at most max_unacked_snapshots; a sequence further ahead is no sequence
    // of its own (and taking it would make every later snapshot look old). One at or below
    // the last applied is a resend, already counted.
    if (sequence == 0) {
        refuse_snapshot(w, sequence, "sequence 0: a worker's snapshots are numbered from 1");
    } else if (sequence > w.applied_sequence + max_sequence_ahead) {
        refuse_snapshot(w, sequence, fmt::format("sequence {} is more than {} ahead of the last applied ({})",
                                                 sequence, max_sequence_ahead, w.applied_sequence));
    } else if (sequence > w.applied_sequence) {
        if (sequence != w.applied_sequence + 1)
            spdlog::warn("worker {}: snapshot {} follows {}: a gap", w.label(), sequence, w.applied_sequence);
        if (auto admitted = admit_snapshot(w, snapshot); !admitted) refuse_snapshot(w, sequence, admitted.error());
        w.applied_sequence = sequence;
    }
    if (w.applied_sequence >= w.reported_sequence) w.all_in_wall = wall_clock::now();
    w.ack_owed = true;
    // Sent with this snapshot if waiting for the next one (an interval later) could leave the
    // worker too long without a word, or when two wait for it (a resend after a reconnect, a
    // link behind: the worker sends no more while its snapshots wait long for one); else it
    // waits, and the next snapshot or a tick sends it.
    const auto now = steady::now();
    if (stopping_ || w.applied_sequence >= w.acked_sequence + acks_at_most_every ||
        speak_due(liveness(), w, now + config_.snapshot_interval))
        send_ack(w, now);
}

// Nothing of a refused snapshot counts; the worker's data gap names the first reason.
void cluster::refuse_snapshot(worker& w, std::uint64_t sequence, const std::string& reason) {
    ++refused_snapshots_;
    if (w.refused++ == 0) w.first_refusal = reason;
    spdlog::warn("refused snapshot {} from worker {}: {}", sequence, w.label(), reason);
}

// What one worker may add up to over a run: beyond what any worker counts (2^48 requests is
// nine years at a million a second), so only a lie reaches them, and the totals of the
// largest cluster (max_workers of them) still fit 64 bits.
constexpr std::uint64_t max_worker_requests = std::uint64_t{1} << 48;
constexpr std::uint64_t max_worker_counts = std::uint64_t{1} << 50;

// Merges a snapshot into the interval's pending delta when it is whole and within the
// worker's run limits (checked in the same pass that validates it); otherwise nothing of it
// counts, and it fails with the reason.
common::status cluster::admit_snapshot(worker& w, const wire::received_snapshot& snapshot) {
    const wire::snapshot_counts allowance{max_worker_requests - w.requests, max_worker_requests - w.failures,
                                          max_worker_counts - w.bytes, max_worker_counts - w.other_counts};
    const auto now = wall_clock::now();
    auto admitted = intake_.admit(w.id, snapshot, allowance, now);
    if (!admitted) return common::fail(admitted.error());
    const auto& c = admitted->counts;
    w.requests += c.requests;
    w.failures += c.failures;
    w.bytes += c.bytes;
    w.other_counts += c.others;
    w.last_snapshot_requests = c.requests;
    w.last_applied_wall = now;
    w.last_covered_wall = admitted->covered_until;
    w.link_history.longest_delay_s =
        std::max(w.link_history.longest_delay_s, std::chrono::duration<double>(now - admitted->covered_until).count());
    return {};
}

// Acknowledgements are cumulative, so one may wait until the worker is due to hear from the
// master anyway: at one snapshot a second that halves the master's writes, and the worker
// only holds a snapshot or two longer. While stopping they go at once.
void cluster::send_ack(worker& w, steady::time_point now) {
    if (!w.link) return;
    w.link->send(wire::ack{w.applied_sequence});
    w.acked_sequence = w.applied_sequence;
    w.last_sent = now;
    w.last_sent_wall = wall_clock::now();
    w.ack_owed = false;
}

void cluster::handle_state(worker& w, const wire::state_change& s) {
    switch (s.state) {
        case wire::worker_state_kind::ready:
            if (w.state == worker_state::joining) w.state = worker_state::ready;
            if (started_ && !stopping_) rebalance_locked();
            if (stopping_ && w.link) w.link->send(wire::stop{0});  // came back during the stop: it stops too
            break;
        case wire::worker_state_kind::stopped:
            w.state = worker_state::stopped;
            w.stopped_at_sequence = s.last_sequence;
            break;
        case wire::worker_state_kind::failed: {
            w.ran_before_failing = w.requests > 0 || w.reported_requests > 0 || w.state == worker_state::running;
            w.failure = common::shortened_utf8(s.detail, max_reason_bytes);
            w.state = worker_state::failed;
            event(event_kind::worker_failed, w, w.failure);
            spdlog::error("worker {} cannot run the scenario: {}", w.label(), w.failure);
            // The same scenario fails the same way on the other workers: before the start, the
            // run ends with the reason instead of waiting for workers that will never be ready.
            if (failure_.empty() && (!started_ || active_workers().empty()))
                failure_ = "worker " + w.label() + " cannot run the scenario: " + w.failure;
            if (w.link) {
                w.link->send(wire::quit{"this worker cannot run the scenario"});
                w.link->close(true);
            }
            if (started_ && !stopping_) rebalance_locked();
            break;
        }
        case wire::worker_state_kind::unknown:
            ignore(w, "state " + std::to_string(s.raw_state) + ", which this master does not know");
            break;
    }
}

// What a worker of another version (or a broken one) may send: nothing of it counts, and the
// log says so, for the first few of each worker.
void cluster::ignore(worker& w, const std::string& what) {
    constexpr std::uint64_t logged = 5;
    if (++w.ignored_messages <= logged)
        spdlog::warn("worker {} sent {}: ignored{}", w.label(), what,
                     w.ignored_messages == logged ? " (further ones are not logged)" : "");
}

void cluster::on_disconnect(worker_link& link) {
    std::lock_guard lock(mutex_);
    if (worker* w = find(link)) {
        attach(*w, nullptr);
        // Closed under a worker that was serving the run: not its goodbye, not the master's close.
        if (w->active() && !stopping_ && !quitting_) ++w->link_history.streams_closed;
        spdlog::info("worker {}: stream closed", w->label());
    }
    changed_.notify_all();
}

}  // namespace stampede::master
