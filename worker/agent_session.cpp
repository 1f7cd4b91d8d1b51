#include "worker/agent_session.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "common/overloaded.hpp"
#include "proto/control_transport.hpp"
#include "proto/protocol.hpp"

namespace stampede::worker {

using namespace std::chrono_literals;

namespace {

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

arrival_share arrivals_of(const wire::assignment& a) {
    return {a.first_thread, a.total_threads,
            common::micros(static_cast<common::micros::rep>(std::min<std::uint64_t>(a.arrivals_elapsed_us, INT64_MAX)))};
}

common::micros at_least_50ms(std::uint32_t ms) { return common::micros(std::max<std::uint32_t>(50, ms) * 1000LL); }

}  // namespace

agent_session::agent_session(session_options options)
    : options_(std::move(options)), outbox_(options_.max_unacked) {}

std::shared_ptr<run_session> agent_session::current_session() const {
    std::lock_guard lock(session_mutex_);
    return session_;
}

int agent_session::current_users() const {
    const auto s = current_session();
    return s ? s->users() : 0;
}

wire::hello agent_session::greeting(const std::string& name, const std::string& machine) const {
    const auto s = current_session();
    return {wire::protocol_version,
            STAMPEDE_VERSION,
            options_.worker_id,
            name,
            machine,
            static_cast<std::uint32_t>(options_.threads > 0 ? options_.threads : std::thread::hardware_concurrency()),
            options_.token,
            s ? s->run_id() : std::string(),
            static_cast<std::uint32_t>(options_.master_timeout.count() / 1000)};
}

void agent_session::stream_opened(master_link& link) {
    link_ = &link;
    welcomed_ = false;
    next_snapshot_ = next_aligned_snapshot(snapshot_interval_, options_.worker_id);
    next_heartbeat_ = next_progress_check_ = steady::now();
    last_reported_users_ = -1;
}

void agent_session::stream_closed() {
    serving_ = false;
    link_ = nullptr;
}

bool agent_session::send(const wire::worker_outgoing& message) { return link_ && link_->send(message).ok; }

bool agent_session::send_state(wire::worker_state_kind state, const std::string& detail) {
    return send(wire::state_change{state, 0, outbox_.last_sequence(), detail});
}

wire::heartbeat agent_session::heartbeat_now() {
    last_reported_users_ = current_users();
    return {usage_.cpu_percent(),       process_usage::rss_bytes(),     static_cast<std::uint32_t>(last_reported_users_),
            outbox_.last_sequence(),    outbox_.requests_counted(),     outbox_.merged_intervals()};
}

bool agent_session::master_silent() const {
    return steady::now().time_since_epoch().count() - last_heard_ >
           std::chrono::duration_cast<steady::duration>(options_.master_timeout).count();
}

// Takes the engine's delta into the outbox, after what was taken while cut off (in order; a
// run that ended since is not this one's).
void agent_session::collect() {
    std::lock_guard lock(collect_mutex_);
    const auto s = current_session();
    const auto count = [&](const stats::stats_delta& d) {
        requests_ += d.total_requests();
        for (const auto& e : d.endpoints) failures_ += e.failures;
    };
    for (auto& o : offline_) {
        if (o.session != s) continue;
        count(o.delta);
        outbox_.add(std::move(o.delta), o.taken_ms, true);
    }
    offline_.clear();
    if (!s) return;
    auto delta = s->take_delta();
    count(delta);
    outbox_.add(std::move(delta), unix_ms_now());
}

// While no stream is welcomed, the engine's counts are taken at each aligned boundary all the
// same (at most as many as the outbox keeps; past it they merge into the newest).
void agent_session::collect_offline() {
    const common::micros interval{offline_interval_us_.load()};
    const auto now = steady::now();
    if (serving_ || next_offline_ == steady::time_point{}) {
        next_offline_ = next_aligned_snapshot(interval, options_.worker_id);
        return;
    }
    if (now < next_offline_) return;
    next_offline_ = next_aligned_snapshot(interval, options_.worker_id);
    std::lock_guard lock(collect_mutex_);
    if (serving_) return;
    const auto s = current_session();
    if (!s) return;
    auto delta = s->take_delta();
    if (delta.empty()) return;
    if (offline_.size() >= options_.max_unacked && !offline_.empty() && offline_.back().session == s) {
        offline_.back().delta.merge(delta);
        offline_.back().taken_ms = unix_ms_now();
        return;
    }
    offline_.push_back({s, std::move(delta), unix_ms_now()});
}

// Past the channel's limit the master would refuse a snapshot on every attempt: its counts would
// never arrive. Said loudly, and the run is told this worker cannot go on.
bool agent_session::send_snapshot(const outgoing_snapshot& s, bool last) {
    std::optional<wire::heartbeat> hb;
    if (last) hb = heartbeat_now();  // the newest of a batch carries what the worker has counted so far
    const auto sent = link_ ? link_->send(wire::outgoing_snapshot{&s.delta, s.sequence, s.covered_until_ms, hb})
                            : wire::send_result{};
    if (sent.oversized_bytes == 0) return sent.ok;
    const auto why = "snapshot " + std::to_string(s.sequence) + " is " + std::to_string(sent.oversized_bytes) +
                     " bytes, past the control channel's " + std::to_string(wire::max_control_message_bytes) +
                     ": its counts cannot be sent";
    spdlog::error("{}", why);
    send_state(wire::worker_state_kind::failed, why);
    unsendable_ = true;
    return false;
}

// What the outbox lets go now (`everything`: all, as last words); how many went, none on a failed write.
std::optional<std::size_t> agent_session::send_unsent(bool everything) {
    return outbox_.send_unsent([&](const outgoing_snapshot& s, bool last) { return send_snapshot(s, last); },
                               everything, unix_ms_now());
}

void agent_session::stop_users(common::micros grace) {
    const auto s = current_session();
    if (s && s->stop(grace)) collect();
}

void agent_session::begin_stop(common::micros grace) {
    if (const auto s = current_session()) s->begin_stop();
    const auto deadline = steady::now() + grace;
    stop_deadline_ = stop_deadline_ ? std::min(*stop_deadline_, deadline) : deadline;
}

// The users have ended, or the grace is over and the rest are cut off.
bool agent_session::stop_finished() {
    const auto s = current_session();
    if (s && !s->users_ended() && steady::now() < *stop_deadline_) return false;
    stop_users(common::micros(0));  // cuts off what is still in flight, and collects
    stop_deadline_.reset();
    return true;
}

// The safety rule: never keep loading a target for a master that has gone silent. What the
// users counted stays in the engine until the agent thread collects it.
void agent_session::stop_if_master_silent() {
    if (!master_silent()) return;
    const auto s = current_session();
    if (!s || !s->users_running()) return;
    spdlog::warn("no word from the master for {}: stopping all users", common::format_duration(options_.master_timeout));
    s->stop(common::micros(0));
}

// This worker cannot run the scenario: it says so here and tells the master, which ends the
// run with the reason.
session_end agent_session::cannot_run(const std::string& why) {
    spdlog::error("cannot run the scenario: {}", why);
    send_state(wire::worker_state_kind::failed, why);
    return session_end::failed;
}

// A new run or a new plan of it: what was kept belongs to a run whose master is gone (a re-plan
// comes before the start, when nothing was counted). The plan carries the data files and
// environment values the master read, so every worker runs the scenario the master validated.
std::optional<session_end> agent_session::open_run(const wire::welcome& w) {
    auto current = current_session();
    const bool replanned = current && current->run_id() == w.run_id;
    current.reset();
    stop_users(common::micros(0));
    stop_deadline_.reset();  // a stop left pending belonged to the session that ends here
    {
        std::lock_guard lock(session_mutex_);
        session_.reset();
    }
    outbox_.start_run(w.acked_sequence);
    if (!w.plan) return cannot_run("the master's welcome carries no plan");
    auto opened = run_session::open(w.run_id, *w.plan, {options_.threads, options_.worker_id});
    if (!opened) return cannot_run(opened.error());
    std::lock_guard lock(session_mutex_);
    session_ = std::move(*opened);
    session_plan_revision_ = w.plan_revision;
    spdlog::info("{} run {}: {}", replanned ? "re-planned before its start:" : "joined", session_->run_id(),
                 session_->scenario_path());
    return std::nullopt;
}

std::optional<session_end> agent_session::on_welcome(const wire::welcome& w) {
    snapshot_interval_ = at_least_50ms(w.snapshot_interval_ms);
    offline_interval_us_ = snapshot_interval_.count();
    heartbeat_interval_ = at_least_50ms(w.heartbeat_interval_ms);
    const auto current = current_session();
    if (!current || current->run_id() != w.run_id || session_plan_revision_ != w.plan_revision)
        if (auto failed = open_run(w)) return failed;
    if (!options_.token.empty() && !w.token_required && !warned_token_unchecked_) {
        warned_token_unchecked_ = true;
        spdlog::warn("this master checks no token: the --token given here protects nothing, and anyone who reaches "
                     "the master may join it; give the master the same --token");
    }
    outbox_.resend_after(w.acked_sequence);  // the master has not applied the rest: send again
    welcomed_ = true;
    serving_ = true;
    if (!send_state(wire::worker_state_kind::ready) || !send_unsent()) return session_end::broken;
    return std::nullopt;
}

std::optional<session_end> agent_session::on_quit(const wire::quit& q) {
    stop_users(common::micros(0));
    send_unsent(true);
    send(wire::goodbye{"the master ended the run"});
    spdlog::info("the master ended the run: {}", q.reason);
    return session_end::quit;
}

std::optional<session_end> agent_session::handle(const wire::master_message& message) {
    last_heard_ = steady::now().time_since_epoch().count();
    return std::visit(
        common::overloaded{
            [&](const wire::welcome& w) { return on_welcome(w); },
            [&](const wire::assignment& a) -> std::optional<session_end> {
                if (const auto s = current_session())
                    s->assign(a.users_per_class, a.spawn_rate, a.spawn_phase, arrivals_of(a));
                return std::nullopt;
            },
            [&](const wire::stop& s) -> std::optional<session_end> {  // finished in tick(), once the users have ended
                begin_stop(common::micros(s.grace_ms * 1000LL));
                return std::nullopt;
            },
            [&](const wire::quit& q) { return on_quit(q); },
            [&](const wire::ack& a) -> std::optional<session_end> {
                outbox_.acknowledge(a.sequence);
                if (!send_unsent()) return session_end::broken;  // what waited for the link to catch up
                return std::nullopt;
            },
            [&](const wire::refusal& r) -> std::optional<session_end> {
                spdlog::error("the master refused this worker: {}", r.reason);
                return session_end::refused;
            },
            [&](const auto&) -> std::optional<session_end> { return std::nullopt; },  // a ping, or unknown
        },
        message);
}

std::optional<session_end> agent_session::handle_all(const std::deque<wire::master_message>& batch) {
    std::optional<session_end> broken;
    for (const auto& m : batch) {
        auto end = handle(m);
        if (end == session_end::broken) broken = end;
        else if (end) return end;
    }
    return broken;
}

// A snapshot at each aligned boundary once welcomed; a heartbeat of its own in an interval
// without one, and early when the user count moved (spawn progress), so the master's figure is
// never an interval behind.
std::optional<session_end> agent_session::send_due(steady::time_point now) {
    if (welcomed_ && now >= next_snapshot_) {
        next_snapshot_ += snapshot_interval_;
        collect();
        const auto sent = send_unsent();
        if (!sent) return session_end::broken;
        if (*sent > 0) next_heartbeat_ = now + heartbeat_interval_;  // the newest sent carried it
    }
    if (now >= next_progress_check_) {
        next_progress_check_ = now + 100ms;
        if (current_users() != last_reported_users_) next_heartbeat_ = now;
    }
    if (now >= next_heartbeat_) {
        next_heartbeat_ = now + heartbeat_interval_;
        if (!send(heartbeat_now())) return session_end::broken;
    }
    return std::nullopt;
}

// The users have ended: their last counts go, then the stop is confirmed (or, for a signal,
// a goodbye).
std::optional<session_end> agent_session::finish_stop() {
    const bool sent = send_unsent(true) && send_state(wire::worker_state_kind::stopped);
    if (interrupting_) {
        send(wire::goodbye{"interrupted"});
        return session_end::interrupted;
    }
    if (!sent) return session_end::broken;
    return std::nullopt;
}

std::optional<session_end> agent_session::tick(bool stop_requested) {
    if (auto end = send_due(steady::now())) return end;
    // Once welcomed on this stream: before, the silence is the last stream's (a worker that
    // waited for its master longer than its timeout would close every new stream before its
    // welcome could cross a slow link), and the stream's first-word deadline bounds the wait.
    if (welcomed_ && master_silent()) return session_end::broken;  // the watchdog stops the users
    if (stop_requested && !interrupting_) {
        interrupting_ = true;
        begin_stop(options_.stop_grace);
    }
    if (stop_deadline_ && stop_finished()) return finish_stop();
    return std::nullopt;
}

}  // namespace stampede::worker
