#include "master/cluster.hpp"

#include <spdlog/spdlog.h>

#include "proto/protocol.hpp"
#include "proto/run_plan_codec.hpp"
#include "proto/snapshot_codec.hpp"
#include "common/utf8.hpp"
#include "stampede/v1/cluster.pb.h"

namespace stampede::master {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

enum class worker_state { joining, ready, running, stopped, lost, quit, failed };

namespace {

// What a worker says of itself goes into logs and the result: bounded, whatever it sends.
constexpr std::size_t max_name_bytes = 256;
constexpr std::size_t max_reason_bytes = 8192;  // a loader's report of several problems fits

}  // namespace

std::string_view state_name(worker_state s) {
    switch (s) {
        case worker_state::joining: return "joining";
        case worker_state::ready: return "ready";
        case worker_state::running: return "running";
        case worker_state::stopped: return "stopped";
        case worker_state::lost: return "lost";
        case worker_state::quit: return "quit";
        case worker_state::failed: return "failed";
    }
    return "unknown";
}

struct cluster::worker {
    std::string id, name, machine;  // machine: the host the worker runs on
    int threads = 1;
    worker_link* link = nullptr;
    worker_state state = worker_state::joining;
    steady::time_point last_seen = steady::now();
    wall_clock::time_point last_seen_wall = wall_clock::now();
    std::uint64_t applied_sequence = 0;
    // What the worker says it has counted (heartbeats), and when its last snapshot was applied.
    std::uint64_t reported_sequence = 0, reported_requests = 0;
    std::optional<wall_clock::time_point> last_applied_wall;
    std::uint64_t last_snapshot_requests = 0;
    std::uint64_t refused = 0;
    wall_clock::time_point lost_at{};
    std::string failure;              // what it said when it failed
    bool ran_before_failing = false;  // it may have counted what never arrived
    std::uint64_t stopped_at_sequence = 0;  // STOPPED: every snapshot up to here was sent
    std::vector<int> users;                 // assigned, per class
    std::vector<int> last_users;            // the last non-empty assignment, for the result
    std::uint64_t requests = 0, failures = 0, bytes = 0, other_counts = 0;  // applied so far
    double cpu_percent = 0, max_cpu_percent = 0;
    std::uint64_t rss_bytes = 0;
    std::uint32_t reported_users = 0;
    bool warned_cpu = false;
    steady::time_point last_sent{};  // any message: a worker stops its users after a long silence
    steady::duration quiet_limit{};  // the longest this worker may go without a word from us
    bool ack_owed = false;           // snapshots applied since the last acknowledgement

    bool active() const { return state == worker_state::ready || state == worker_state::running; }
    std::string label() const { return name + " (" + machine + ")"; }
};

cluster::cluster(cluster_config config)
    : config_(std::move(config)),
      encoded_plan_(std::make_unique<v1::RunPlan>()),
      pending_(config_.endpoint_count, config_.check_count) {
    wire::encode_run_plan(config_.plan, *encoded_plan_);
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
    v1::MasterMessage m;
    m.mutable_refusal()->set_reason(reason);
    link.send(m);
    link.close(true);
}

void cluster::on_hello(worker_link& link, const v1::Hello& hello) {
    std::lock_guard lock(mutex_);
    if (hello.protocol_version() != wire::protocol_version) {
        spdlog::warn("refused worker {} from {}: protocol version {} (this master speaks {})", hello.name(),
                     link.peer(), hello.protocol_version(), wire::protocol_version);
        return refuse(link, "protocol version " + std::to_string(hello.protocol_version()) +
                                " is not supported: this master (stampede " STAMPEDE_VERSION ") speaks version " +
                                std::to_string(wire::protocol_version));
    }
    if (!config_.token.empty() && hello.token() != config_.token) {
        spdlog::warn("refused worker {} from {}: {} token", hello.name(), link.peer(),
                     hello.token().empty() ? "no" : "wrong");
        return refuse(link, hello.token().empty() ? "this master requires a token (--token or STAMPEDE_TOKEN)"
                                                  : "wrong token");
    }
    if (quitting_) return refuse(link, "the run has ended");
    if (hello.stampede_version() != STAMPEDE_VERSION)
        spdlog::warn("worker {} from {} runs stampede {}, this master {}: the protocol is the same, results may differ",
                     common::shortened_utf8(hello.name(), max_name_bytes), link.peer(),
                     common::shortened_utf8(hello.stampede_version(), max_name_bytes), STAMPEDE_VERSION);
    if (hello.worker_id().empty() || hello.worker_id().size() > max_name_bytes)
        return refuse(link, "a worker id is 1 to " + std::to_string(max_name_bytes) + " bytes");
    auto& slot = workers_[hello.worker_id()];
    const bool returning = slot != nullptr;
    if (!returning) {
        if (workers_.size() > config_.max_workers) {
            workers_.erase(hello.worker_id());
            return refuse(link, "this master already has its maximum of " + std::to_string(config_.max_workers) + " workers");
        }
        slot = std::make_unique<worker>();
        slot->id = hello.worker_id();
        join_order_.push_back(slot->id);
    } else if (slot->link && slot->link != &link) {
        slot->link->close();  // a stale stream of the same worker
        attach(*slot, nullptr);
    }
    auto& w = *slot;
    w.quiet_limit = quiet_limit_for(hello.master_timeout_ms());
    w.name = common::shortened_utf8(hello.name(), max_name_bytes);
    w.machine = common::shortened_utf8(hello.machine(), max_name_bytes);
    // Users are spread by threads: a worker announcing two billion would take them all.
    w.threads = static_cast<int>(std::clamp<std::uint32_t>(hello.threads(), 1, max_worker_threads));
    if (hello.threads() > max_worker_threads)
        spdlog::warn("worker {} announced {} threads: counted as {}, the most a worker may run", w.label(),
                     hello.threads(), max_worker_threads);
    attach(w, &link);
    w.state = worker_state::joining;
    w.last_seen = steady::now();
    event(returning ? event_kind::worker_reconnected : event_kind::worker_joined, w, std::to_string(w.threads) + " threads");
    spdlog::info("worker {} {} from {} with {} thread(s)", w.label(), returning ? "reconnected" : "joined",
                 link.peer(), w.threads);

    v1::MasterMessage m;
    auto* welcome = m.mutable_welcome();
    welcome->set_run_id(config_.run_id);
    *welcome->mutable_plan() = *encoded_plan_;
    welcome->set_acked_sequence(w.applied_sequence);
    welcome->set_snapshot_interval_ms(static_cast<std::uint32_t>(config_.snapshot_interval.count() / 1000));
    welcome->set_heartbeat_interval_ms(static_cast<std::uint32_t>(config_.heartbeat_interval.count() / 1000));
    welcome->set_master_timeout_ms(static_cast<std::uint32_t>(config_.master_timeout.count() / 1000));
    link.send(m);
    w.last_sent = steady::now();
    w.ack_owed = false;  // the welcome says what the master has
    changed_.notify_all();
}

void cluster::on_message(worker_link& link, const v1::WorkerMessage& message) {
    std::lock_guard lock(mutex_);
    worker* w = find(link);
    if (!w) return;  // a stream the cluster already let go of
    w->last_seen = steady::now();
    w->last_seen_wall = wall_clock::now();
    switch (message.kind_case()) {
        case v1::WorkerMessage::kSnapshot: handle_snapshot(*w, message); break;
        case v1::WorkerMessage::kState: handle_state(*w, message); break;
        case v1::WorkerMessage::kHeartbeat: handle_heartbeat(*w, message.heartbeat()); break;
        case v1::WorkerMessage::kGoodbye:
            w->state = worker_state::quit;
            event(event_kind::worker_quit, *w, common::shortened_utf8(message.goodbye().reason(), max_reason_bytes));
            spdlog::info("worker {} quit: {}", w->label(), common::shortened_utf8(message.goodbye().reason(), max_reason_bytes));
            if (started_ && !stopping_) rebalance_locked();
            break;
        default: break;
    }
    if (message.kind_case() != v1::WorkerMessage::kSnapshot || stopping_) changed_.notify_all();
}

void cluster::handle_heartbeat(worker& w, const v1::Heartbeat& hb) {
    w.reported_sequence = std::max(w.reported_sequence, hb.last_sequence());
    w.reported_requests = std::max(w.reported_requests, hb.requests_counted());
    w.cpu_percent = hb.cpu_percent();
    w.max_cpu_percent = std::max(w.max_cpu_percent, hb.cpu_percent());
    w.rss_bytes = hb.rss_bytes();
    w.reported_users = hb.users();
    // A worker near saturation delays its own requests: its latencies grow.
    if (hb.cpu_percent() > 90.0 * w.threads && !w.warned_cpu) {
        w.warned_cpu = true;
        spdlog::warn("worker {} runs at {:.0f}% CPU: its latency figures may be inflated; add workers", w.label(),
                     hb.cpu_percent());
        event(event_kind::worker_cpu_high, w, fmt::format("{:.0f}% CPU", hb.cpu_percent()));
    }
}

void cluster::handle_snapshot(worker& w, const v1::WorkerMessage& message) {
    const auto& snapshot = message.snapshot();
    if (snapshot.has_heartbeat()) handle_heartbeat(w, snapshot.heartbeat());
    const auto sequence = snapshot.sequence();
    // A worker holds at most max_unacked_snapshots; a sequence further ahead is no sequence
    // of its own (and taking it would make every later snapshot look old).
    if (sequence > w.applied_sequence + max_sequence_ahead) {
        ++refused_snapshots_;
        spdlog::warn("refused snapshot {} from worker {}: more than {} ahead of the last applied ({})", sequence,
                     w.label(), max_sequence_ahead, w.applied_sequence);
    } else if (sequence > w.applied_sequence) {
        if (sequence != w.applied_sequence + 1)
            spdlog::warn("worker {}: snapshot {} follows {}: a gap", w.label(), sequence, w.applied_sequence);
        if (auto error = admit_snapshot(w, snapshot); !error.empty()) {
            ++refused_snapshots_;
            ++w.refused;
            spdlog::warn("refused snapshot {} from worker {}: {}", sequence, w.label(), error);
        }
        w.applied_sequence = sequence;
    }
    w.ack_owed = true;
    // Sent with this snapshot if waiting for the next one (an interval later) could leave the
    // worker too long without a word; else it waits, and the next snapshot or a tick sends it.
    const auto now = steady::now();
    if (stopping_ || speak_due(w, now + config_.snapshot_interval)) send_ack(w, now);
}

// What one worker may add up to over a run: beyond what any worker counts (2^48 requests is
// nine years at a million a second), so only a lie reaches them, and the totals of the
// largest cluster (max_workers of them) still fit 64 bits.
constexpr std::uint64_t max_worker_requests = std::uint64_t{1} << 48;
constexpr std::uint64_t max_worker_counts = std::uint64_t{1} << 50;

// Merges a snapshot into the interval's pending delta when it is whole and within the
// worker's run limits (checked in the same pass that validates it); otherwise nothing of it
// counts. Returns "" or why it was refused.
std::string cluster::admit_snapshot(worker& w, const v1::Snapshot& snapshot) {
    const wire::snapshot_counts allowance{max_worker_requests - w.requests, max_worker_requests - w.failures,
                                          max_worker_counts - w.bytes, max_worker_counts - w.other_counts};
    if (auto error = wire::merge_snapshot(snapshot, config_.endpoint_count, pending_, scratch_, allowance);
        !error.empty())
        return error;
    const auto& c = scratch_.counts;
    w.requests += c.requests;
    w.failures += c.failures;
    w.bytes += c.bytes;
    w.other_counts += c.others;
    w.last_snapshot_requests = c.requests;
    w.last_applied_wall = wall_clock::now();
    return {};
}

// Acknowledgements are cumulative, so one may wait until the worker is due to hear from the
// master anyway: at one snapshot a second that halves the master's writes, and the worker
// only holds a snapshot or two longer. While stopping they go at once.
void cluster::send_ack(worker& w, steady::time_point now) {
    if (!w.link) return;
    v1::MasterMessage ack;
    ack.mutable_ack()->set_sequence(w.applied_sequence);
    w.link->send(ack);
    w.last_sent = now;
    w.ack_owed = false;
}

// Due when waiting from `at` for one more tick of the heartbeat loop could leave the worker
// longer than its quiet limit without a word.
bool cluster::speak_due(const worker& w, steady::time_point at) const {
    return at - w.last_sent + pacing_tick() >= w.quiet_limit;
}

// A worker stops its users after its master timeout without a word from the master (the
// hello says how long): speak at least every half of it, so that a word delayed by as much
// again still arrives in time; and at least every 2.5 s, which keeps the worker's resend
// buffer short. A worker that does not say gets a word each half heartbeat interval.
steady::duration cluster::quiet_limit_for(std::uint32_t master_timeout_ms) const {
    if (master_timeout_ms == 0) return config_.heartbeat_interval / 2;
    const auto limit = std::chrono::milliseconds(master_timeout_ms) / 2;
    return std::clamp<steady::duration>(limit, 2 * pacing_tick(), 2500ms);
}

steady::duration cluster::pacing_tick() const {
    return std::min<steady::duration>(config_.heartbeat_interval, 250ms);
}

void cluster::handle_state(worker& w, const v1::WorkerMessage& message) {
    const auto& s = message.state();
    switch (s.state()) {
        case v1::StateChange::READY:
            if (w.state == worker_state::joining) w.state = worker_state::ready;
            if (started_ && !stopping_) rebalance_locked();
            if (stopping_ && w.link) {  // came back during the stop: make sure it stops too
                v1::MasterMessage m;
                m.mutable_stop()->set_grace_ms(0);
                w.link->send(m);
            }
            break;
        case v1::StateChange::STOPPED:
            w.state = worker_state::stopped;
            w.stopped_at_sequence = s.last_sequence();
            break;
        case v1::StateChange::FAILED: {
            w.ran_before_failing = w.requests > 0 || w.reported_requests > 0 || w.state == worker_state::running;
            w.failure = common::shortened_utf8(s.detail(), max_reason_bytes);
            w.state = worker_state::failed;
            event(event_kind::worker_failed, w, w.failure);
            spdlog::error("worker {} cannot run the scenario: {}", w.label(), w.failure);
            // The same scenario fails the same way on the other workers: before the start, the
            // run ends with the reason instead of waiting for workers that will never be ready.
            if (failure_.empty() && (!started_ || active_workers().empty()))
                failure_ = "worker " + w.label() + " cannot run the scenario: " + w.failure;
            if (w.link) {
                v1::MasterMessage quit;
                quit.mutable_quit()->set_reason("this worker cannot run the scenario");
                w.link->send(quit);
                w.link->close(true);
            }
            if (started_ && !stopping_) rebalance_locked();
            break;
        }
        default: break;
    }
}

void cluster::on_disconnect(worker_link& link) {
    std::lock_guard lock(mutex_);
    if (worker* w = find(link)) {
        attach(*w, nullptr);
        spdlog::info("worker {}: stream closed", w->label());
    }
    changed_.notify_all();
}

void cluster::rebalance_locked() {
    auto active = active_workers();
    std::vector<worker_share> shares;
    for (auto* w : active) shares.push_back({w->id, w->threads, w->users});
    rebalance(shares, class_totals_);
    const auto ramp = worker_spawn_plan(shares, spawn_rate_);
    for (std::size_t i = 0; i < active.size(); ++i) {
        auto& w = *active[i];
        w.users = shares[i].users;
        w.last_users = w.users;
        w.state = worker_state::running;
        v1::MasterMessage m;
        auto* a = m.mutable_assignment();
        for (int n : w.users) a->add_users_per_class(static_cast<std::uint32_t>(n));
        a->set_spawn_rate(ramp[i].rate);
        a->set_spawn_phase(ramp[i].phase);
        if (w.link) w.link->send(m);
    }
    // Users of workers that left are nobody's now.
    for (auto& [id, w] : workers_)
        if (!w->active()) std::fill(w->users.begin(), w->users.end(), 0);
}

bool cluster::wait_for_workers(int count, common::micros max_wait) {
    std::unique_lock lock(mutex_);
    auto enough = [&] { return static_cast<int>(active_workers().size()) >= count || !failure_.empty(); };
    if (max_wait.count() <= 0) {
        changed_.wait(lock, [&] { return enough() || shutdown_; });
        return enough() && failure_.empty();
    }
    return changed_.wait_for(lock, max_wait, enough) && failure_.empty();
}

std::string cluster::failure() {
    std::lock_guard lock(mutex_);
    return failure_;
}

void cluster::start(std::vector<int> class_totals, double spawn_rate) {
    std::lock_guard lock(mutex_);
    class_totals_ = std::move(class_totals);
    spawn_rate_ = spawn_rate;
    started_ = true;
    rebalance_locked();
}

stats::stats_delta cluster::take_delta() {
    std::lock_guard lock(mutex_);
    stats::stats_delta out(config_.endpoint_count, config_.check_count);
    std::swap(out, pending_);
    return out;
}

cluster_status cluster::status() {
    std::lock_guard lock(mutex_);
    cluster_status s;
    for (auto& [id, w] : workers_) {
        if (!w->active()) continue;
        ++s.workers_active;
        s.running_users += static_cast<int>(w->reported_users);
        for (int n : w->users) s.users += n;
    }
    return s;
}

void cluster::heartbeat_loop() {
    std::unique_lock lock(mutex_);
    auto next = steady::now() + pacing_tick();
    while (!shutdown_) {
        if (shutdown_requested_.wait_until(lock, next, [&] { return shutdown_; })) break;
        forgive_own_stall(steady::now() - (next - pacing_tick()));
        next = std::max(next + pacing_tick(), steady::now());
        // Workers stop their users when the master goes quiet: each hears from us within its
        // quiet limit, an acknowledgement if one is owed, else a ping.
        v1::MasterMessage ping;
        ping.mutable_ping();
        const auto now = steady::now();
        for (auto& [id, w] : workers_) {
            if (!w->link || !speak_due(*w, now)) continue;
            if (w->ack_owed) {
                send_ack(*w, now);
                continue;
            }
            w->link->send(ping);
            w->last_sent = now;
        }
        check_liveness(now);
    }
}

// A master that was itself stopped (SIGSTOP, a suspended VM, swapping) heard nobody in that
// time: the silence is its own, so no worker is judged by it. Each gets a fresh timeout,
// counted from now, to be heard from again.
void cluster::forgive_own_stall(steady::duration since_last_tick) {
    const auto stalled = since_last_tick - pacing_tick();
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
        if (!live_state || now - w->last_seen < config_.heartbeat_timeout) continue;
        w->state = worker_state::lost;
        w->lost_at = wall_clock::now();
        lost_any = true;
        event(event_kind::worker_lost, *w, "silent for " + common::format_duration(config_.heartbeat_timeout));
        spdlog::warn("worker {} lost: silent for {}", w->label(), common::format_duration(config_.heartbeat_timeout));
        if (w->link) w->link->close();
    }
    if (lost_any && started_ && !stopping_) rebalance_locked();
    if (lost_any) changed_.notify_all();
}

void cluster::stop(common::micros grace) {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    v1::MasterMessage m;
    m.mutable_stop()->set_grace_ms(static_cast<std::uint32_t>(grace.count() / 1000));
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
    if (!changed_.wait_for(lock, grace + 5s, settled))
        spdlog::warn("some workers did not confirm their stop in time; their last interval may be missing");
}

void cluster::quit(const std::string& reason) {
    std::lock_guard lock(mutex_);
    quitting_ = true;
    v1::MasterMessage m;
    m.mutable_quit()->set_reason(reason);
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
                                  w.failures, w.max_cpu_percent, w.rss_bytes, w.last_users});
    }
    result.events.insert(result.events.end(), events_.begin(), events_.end());
    std::stable_sort(result.events.begin(), result.events.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    result.refused_snapshots = refused_snapshots_;
    for (const auto& id : join_order_)
        if (auto gap = data_gap_of(*workers_.at(id), result.start)) result.data_gaps.push_back(std::move(*gap));
}

// What of a worker's counts may be missing from the result, if anything. A worker lost for
// good took with it what it counted since its last snapshot that arrived: at most that span,
// estimated at its last rate. Counts it says it made that never arrived (refused, or lost on
// the way) are known exactly, and leave the result untrustworthy.
std::optional<data_gap> cluster::data_gap_of(const worker& w, wall_clock::time_point start) const {
    const auto since_start = [&](wall_clock::time_point t) { return std::chrono::duration<double>(t - start).count(); };
    data_gap gap;
    gap.worker = w.label();
    gap.known_missing = w.reported_requests > w.requests ? w.reported_requests - w.requests : 0;
    gap.from_s = std::max(0.0, since_start(w.last_applied_wall.value_or(start)));
    if (w.state == worker_state::lost) {
        gap.to_s = std::max(gap.from_s, since_start(w.last_seen_wall));
        const double interval_s = std::chrono::duration<double>(config_.snapshot_interval).count();
        const double rate = static_cast<double>(w.last_snapshot_requests) / interval_s;
        gap.estimated_missing = static_cast<std::uint64_t>(rate * (gap.to_s - gap.from_s + interval_s) + 0.5);
        gap.reason = fmt::format("lost at {:.1f}s (silent for {}) and did not come back: what it counted after its "
                                 "last snapshot that arrived died with it",
                                 since_start(w.lost_at), common::format_duration(config_.heartbeat_timeout));
        return gap;
    }
    // The newest snapshot it said it made, in a heartbeat or its stop, that never arrived.
    const auto made = std::max(w.stopped_at_sequence, w.reported_sequence);
    const bool unconfirmed = w.applied_sequence < made;
    const bool failed_running = w.state == worker_state::failed && w.ran_before_failing;
    if (gap.known_missing == 0 && w.refused == 0 && !unconfirmed && !failed_running) return std::nullopt;
    gap.to_s = since_start(w.last_seen_wall);
    gap.fails_run = true;
    if (failed_running)
        gap.reason = "it failed during the run (" + w.failure + "): what it counted after its last snapshot that "
                     "arrived is missing";
    else if (w.refused > 0)
        gap.reason = fmt::format("{} of its snapshots were refused as malformed", w.refused);
    else if (unconfirmed)
        gap.reason = fmt::format("it made {} snapshot(s), of which {} reached the master", made, w.applied_sequence);
    else
        gap.reason = fmt::format("it counted {} request(s), of which {} reached the master", w.reported_requests,
                                 w.requests);
    return gap;
}

}  // namespace stampede::master
