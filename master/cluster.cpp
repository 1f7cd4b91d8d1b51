// The cluster's handlers, all under its one mutex. Longer than the usual file: what a worker
// says (hello, snapshots, heartbeats, state changes), the acknowledgement pacing and the
// liveness checks all read and write the same worker records under that lock; apart, each
// would need the cluster's private state anyway. The record and the data-gap reasoning live
// in worker_entry and data_gaps.
#include "master/cluster.hpp"

#include "master/data_gaps.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <cmath>

#include "proto/protocol.hpp"
#include "proto/run_plan_codec.hpp"
#include "proto/snapshot_codec.hpp"
#include "common/utf8.hpp"
#include "stampede/v1/cluster.pb.h"

namespace stampede::master {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// What a worker says of itself goes into logs and the result: bounded, whatever it sends.
constexpr std::size_t max_name_bytes = 256;
constexpr std::size_t max_reason_bytes = 8192;  // a loader's report of several problems fits

}  // namespace

cluster::cluster(cluster_config config)
    : config_(std::move(config)),
      encoded_plan_(std::make_unique<v1::RunPlan>()),
      intake_(config_.endpoint_count, config_.check_count, config_.class_count, config_.snapshot_interval) {
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

// Whether a hello may join at all: its protocol, its token, the run still open, its id.
common::status cluster::admissible(worker_link& link, const v1::Hello& hello) const {
    if (hello.protocol_version() != wire::protocol_version) {
        spdlog::warn("refused worker {} from {}: protocol version {} (this master speaks {})",
                     common::shortened_utf8(hello.name(), max_name_bytes),
                     link.peer(), hello.protocol_version(), wire::protocol_version);
        return common::fail("protocol version " + std::to_string(hello.protocol_version()) +
                            " is not supported: this master (stampede " STAMPEDE_VERSION ") speaks version " +
                            std::to_string(wire::protocol_version));
    }
    // Compared in time that does not depend on where the bytes differ.
    const auto& given = hello.token();
    if (!config_.token.empty() &&
        (given.size() != config_.token.size() || CRYPTO_memcmp(given.data(), config_.token.data(), given.size()) != 0)) {
        spdlog::warn("refused worker {} from {}: {} token", common::shortened_utf8(hello.name(), max_name_bytes), link.peer(),
                     hello.token().empty() ? "no" : "wrong");
        return common::fail(hello.token().empty() ? "this master requires a token (--token or STAMPEDE_TOKEN)"
                                                  : "wrong token");
    }
    if (config_.token.empty() && !hello.token().empty())
        spdlog::warn("worker {} from {} brought a token, but this master checks none (no --token): anyone who reaches "
                     "it may join; give the master the workers' --token",
                     common::shortened_utf8(hello.name(), max_name_bytes), link.peer());
    if (quitting_) return common::fail("the run has ended");
    if (hello.stampede_version() != STAMPEDE_VERSION)
        spdlog::warn("worker {} from {} runs stampede {}, this master {}: the protocol is the same, results may differ",
                     common::shortened_utf8(hello.name(), max_name_bytes), link.peer(),
                     common::shortened_utf8(hello.stampede_version(), max_name_bytes), STAMPEDE_VERSION);
    if (hello.worker_id().empty() || hello.worker_id().size() > max_name_bytes)
        return common::fail("a worker id is 1 to " + std::to_string(max_name_bytes) + " bytes");
    return {};
}

void cluster::on_hello(worker_link& link, const v1::Hello& hello) {
    std::lock_guard lock(mutex_);
    if (auto admitted = admissible(link, hello); !admitted) return refuse(link, admitted.error());
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
    w.quiet_limit = quiet_limit_for(liveness(), hello.master_timeout_ms());
    w.master_timeout = std::chrono::milliseconds(hello.master_timeout_ms());
    w.lost_after = lost_after_for(liveness(), hello.master_timeout_ms());
    w.name = common::shortened_utf8(hello.name(), max_name_bytes);
    w.machine = common::shortened_utf8(hello.machine(), max_name_bytes);
    // Users are spread by threads: a worker announcing two billion would take them all.
    w.threads = static_cast<int>(std::clamp<std::uint32_t>(hello.threads(), 1, max_worker_threads));
    if (hello.threads() > max_worker_threads)
        spdlog::warn("worker {} announced {} threads: counted as {}, the most a worker may run", w.label(),
                     hello.threads(), max_worker_threads);
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

// The run plan, encoded once, what the master has of this worker, and the intervals.
void cluster::welcome(worker& w, worker_link& link) {
    v1::MasterMessage m;
    auto* welcome = m.mutable_welcome();
    welcome->set_run_id(config_.run_id);
    *welcome->mutable_plan() = *encoded_plan_;
    welcome->set_acked_sequence(w.applied_sequence);
    welcome->set_snapshot_interval_ms(static_cast<std::uint32_t>(config_.snapshot_interval.count() / 1000));
    welcome->set_heartbeat_interval_ms(static_cast<std::uint32_t>(config_.heartbeat_interval.count() / 1000));
    welcome->set_master_timeout_ms(static_cast<std::uint32_t>(config_.master_timeout.count() / 1000));
    welcome->set_plan_revision(plan_revision_);
    welcome->set_token_required(!config_.token.empty());
    link.send(m);
    w.last_sent = steady::now();
    w.last_sent_wall = wall_clock::now();
    w.ack_owed = false;  // the welcome says what the master has
    changed_.notify_all();
}

void cluster::on_message(worker_link& link, const v1::WorkerMessage& message) {
    std::lock_guard lock(mutex_);
    worker* w = find(link);
    if (!w) return;  // a stream the cluster already let go of
    const auto now = steady::now();
    auto& history = w->link_history;
    history.longest_silence_s = std::max(history.longest_silence_s, std::chrono::duration<double>(now - w->last_seen).count());
    w->last_seen = now;
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
        case v1::WorkerMessage::kHello: ignore(*w, "a second hello on its stream"); break;
        default: ignore(*w, "a message of no kind this master knows"); break;
    }
    if (message.kind_case() != v1::WorkerMessage::kSnapshot || stopping_) changed_.notify_all();
}

void cluster::handle_heartbeat(worker& w, const v1::Heartbeat& hb) {
    w.reported_sequence = std::max(w.reported_sequence, hb.last_sequence());
    w.reported_requests = std::max(w.reported_requests, hb.requests_counted());
    // What a worker says of its own process is only shown, but shown everywhere: a figure no
    // process can have is left out rather than spread through the result and the charts.
    if (std::isfinite(hb.cpu_percent()) && hb.cpu_percent() >= 0) {
        w.cpu_percent = hb.cpu_percent();
        w.max_cpu_percent = std::max(w.max_cpu_percent, hb.cpu_percent());
    }
    w.rss_bytes = hb.rss_bytes();
    w.link_history.merged_intervals = std::max(w.link_history.merged_intervals, hb.merged_intervals());
    if (w.applied_sequence >= w.reported_sequence) w.all_in_wall = wall_clock::now();
    w.reported_users = std::min(hb.users(), max_reported_users);
    // A worker near saturation delays its own requests: its latencies grow.
    if (hb.cpu_percent() > 90.0 * w.threads && !w.warned_cpu) {
        w.warned_cpu = true;
        spdlog::warn("worker {} runs at {:.0f}% CPU: its latency figures may be inflated; add workers", w.label(),
                     hb.cpu_percent());
        event(event_kind::worker_cpu_high, w, fmt::format("{:.0f}% CPU", hb.cpu_percent()));
    }
}

// Snapshots applied before an acknowledgement goes anyway: a worker that waits long for one takes
// its link for behind and merges its next intervals (snapshot_outbox).
constexpr std::uint64_t acks_at_most_every = 2;

void cluster::handle_snapshot(worker& w, const v1::WorkerMessage& message) {
    const auto& snapshot = message.snapshot();
    if (snapshot.has_heartbeat()) handle_heartbeat(w, snapshot.heartbeat());
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
common::status cluster::admit_snapshot(worker& w, const v1::Snapshot& snapshot) {
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
    v1::MasterMessage ack;
    ack.mutable_ack()->set_sequence(w.applied_sequence);
    w.link->send(ack);
    w.acked_sequence = w.applied_sequence;
    w.last_sent = now;
    w.last_sent_wall = wall_clock::now();
    w.ack_owed = false;
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
        default: ignore(w, "state " + std::to_string(s.state()) + ", which this master does not know"); break;
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
        v1::MasterMessage m;
        auto* a = m.mutable_assignment();
        for (int n : w.users) a->add_users_per_class(static_cast<std::uint32_t>(n));
        a->set_spawn_rate(ramp[i].rate);
        a->set_spawn_phase(ramp[i].phase);
        a->set_first_thread(first_thread);
        a->set_total_threads(total_threads);
        a->set_arrivals_elapsed_us(static_cast<std::uint64_t>(arrivals_elapsed.count()));
        first_thread += static_cast<std::uint32_t>(std::max(1, w.threads));
        if (w.link) w.link->send(m);
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
    encoded_plan_->Clear();
    wire::encode_run_plan(config_.plan, *encoded_plan_);
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
        v1::MasterMessage ping;
        ping.mutable_ping();
        const auto now = steady::now();
        for (auto& [id, w] : workers_) {
            if (!w->link || !speak_due(liveness(), *w, now)) continue;
            if (w->ack_owed) {
                send_ack(*w, now);
                continue;
            }
            w->link->send(ping);
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
