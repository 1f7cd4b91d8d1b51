// The worker agent: its reconnect loop, its session loop and the handlers of what the master
// says. Longer than the usual file because the loop's exits (quit, refused, lost, failed,
// interrupted) and the handlers that decide them read best side by side; the stream, the
// session, the outbox and the snapshot clock are parts of their own.
#include "worker/worker_agent.hpp"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <deque>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "proto/control_transport.hpp"
#include "proto/protocol.hpp"
#include "proto/run_plan_codec.hpp"
#include "proto/snapshot_codec.hpp"
#include "stampede/v1/cluster.grpc.pb.h"
#include "worker/master_stream.hpp"
#include "worker/process_usage.hpp"
#include "worker/run_session.hpp"
#include "worker/snapshot_outbox.hpp"

namespace stampede::worker {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

arrival_share arrivals_of(const v1::Assignment& a) {
    return {a.first_thread(), a.total_threads(), common::micros(static_cast<common::micros::rep>(
                                                     std::min<std::uint64_t>(a.arrivals_elapsed_us(), INT64_MAX)))};
}

// A master that does not answer a hello within this long is treated as unreachable.
constexpr common::micros hello_timeout = std::chrono::seconds(5);

// gRPC's reason a channel failed, with what a user most likely has to change.
std::string with_hint(std::string reason, bool tls) {
    if (reason.find("andshake") != std::string::npos)
        reason += tls ? " (does the master run with TLS, and is its certificate signed by --tls-ca for this address or "
                        "--tls-server-name?)"
                      : " (the master speaks TLS: give this worker --tls-ca)";
    else if (!tls && reason.find("Socket closed") != std::string::npos)
        reason += " (a master with TLS closes a plaintext connection: give this worker --tls-ca)";
    return reason;
}

std::string random_id() {
    std::random_device rd;
    std::ostringstream out;
    out << std::hex << rd() << rd();
    return out.str();
}

std::string host_name() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

enum class session_end { quit, refused, broken, interrupted, failed };

}  // namespace

struct worker_agent::impl {
    agent_options options;
    std::string config_error;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<v1::Coordinator::Stub> stub;
    std::string worker_id = random_id();
    std::atomic<bool> stop_requested{false};
    std::atomic<std::uint64_t> requests{0}, failures{0};
    process_usage usage;

    // The run this worker serves; kept across reconnects to the same master run. The agent
    // thread replaces it, the watchdog may stop its users: each takes its own reference.
    std::mutex session_mutex;
    std::shared_ptr<run_session> session;
    std::uint32_t session_plan_revision = 0;  // the welcome's revision the session was opened with
    std::shared_ptr<run_session> current_session() {
        std::lock_guard lock(session_mutex);
        return session;
    }
    snapshot_outbox outbox{600};
    common::micros snapshot_interval{1s}, heartbeat_interval{1s};
    // Counts taken while no master hears this worker (cut off, reconnecting), by the watchdog at
    // the same boundaries as when connected: each covers its own interval when it is sent at last,
    // and the master places it there. The agent thread moves them into the outbox.
    struct offline_delta {
        std::shared_ptr<run_session> session;
        stats::stats_delta delta;
        std::int64_t taken_ms = 0;
    };
    std::mutex collect_mutex;            // one taker of the engine's counts at a time
    std::vector<offline_delta> offline;  // under collect_mutex
    std::atomic<common::micros::rep> offline_interval_us{1'000'000};
    void collect_offline(steady::time_point& next);
    std::atomic<steady::rep> last_heard{steady::now().time_since_epoch().count()};

    // The call to the master; the watchdog cancels it when the master stays quiet, so no
    // blocking call on it can hang the agent.
    std::unique_ptr<master_stream> stream;
    std::thread watchdog;
    std::atomic<bool> shutting_down{false};
    std::atomic<bool> welcomed{false};  // read by the watchdog too
    std::atomic<bool> serving{false};   // welcomed on a stream not yet closed: the agent takes the counts
    bool ended_by_master = false;  // the master closed the stream with OK: the run is over
    grpc::StatusCode last_status = grpc::StatusCode::OK;
    bool unsendable = false;  // a snapshot too large for the channel: the worker cannot go on
    bool warned_token_unchecked = false;  // a token given here, none checked there: said once

    bool open_stream(common::micros wait_limit);
    void close_stream();
    void watch();
    session_end serve();
    session_end drain();
    std::optional<session_end> handle_all(const std::deque<v1::MasterMessage>& batch);
    std::pair<std::deque<v1::MasterMessage>, bool> take_inbox(steady::time_point until) { return stream->take(until); }
    std::optional<session_end> handle(const v1::MasterMessage& m);
    std::optional<session_end> on_welcome(const v1::Welcome& w);
    session_end cannot_run(const std::string& why);
    void await_stream_end(common::micros limit);
    bool write(v1::WorkerMessage& m) { return stream && stream->write(m); }
    bool send_state(v1::StateChange::State state, const std::string& detail = {});
    void collect();          // takes the engine's delta into the outbox
    int last_reported_users = -1;
    void fill_heartbeat(v1::Heartbeat& hb, int& reported_users) {
        reported_users = current_users();
        hb.set_cpu_percent(usage.cpu_percent());
        hb.set_rss_bytes(process_usage::rss_bytes());
        hb.set_users(static_cast<std::uint32_t>(reported_users));
        hb.set_last_sequence(outbox.last_sequence());
        hb.set_requests_counted(outbox.requests_counted());
        hb.set_merged_intervals(outbox.merged_intervals());
    }
    int current_users() {
        const auto s = current_session();
        return s ? s->users() : 0;
    }
    // What the outbox lets go now (`everything`: all, as last words); how many went, none on a failed write.
    std::optional<std::size_t> send_unsent(bool everything = false);
    void stop_users(common::micros grace);
    // A stop in progress: the users end, requests in flight may finish until the deadline,
    // and the session goes on heartbeating and sending snapshots meanwhile (a stop that
    // blocked the agent for its grace made the master take the worker for lost).
    std::optional<steady::time_point> stop_deadline;
    void begin_stop(common::micros grace);
    bool stop_finished();  // the users have ended, or the grace is over and the rest are cut off
    void stop_if_master_silent();
    bool master_silent() const {
        return steady::now().time_since_epoch().count() - last_heard >
               std::chrono::duration_cast<steady::duration>(options.master_timeout).count();
    }
    bool wait_or_stop(common::micros d);
};

// Runs beside the agent thread, which may be blocked on the stream: cancels a stream whose
// master went quiet and enforces the safety rule, whatever the agent thread is doing.
void worker_agent::impl::watch() {
    steady::time_point next_offline{};
    while (!shutting_down) {
        std::this_thread::sleep_for(50ms);
        stop_if_master_silent();
        collect_offline(next_offline);
        if (stream) stream->cancel_if_quiet();
        // Stopped while still waiting for a master: nothing to send, so no reason to wait on.
        if (stream && stop_requested && !welcomed) stream->cancel();
    }
}

bool worker_agent::impl::open_stream(common::micros wait_limit) {
    welcomed = false;
    v1::WorkerMessage hello;
    auto* h = hello.mutable_hello();
    h->set_protocol_version(wire::protocol_version);
    h->set_stampede_version(STAMPEDE_VERSION);
    h->set_worker_id(worker_id);
    h->set_name(options.name);
    h->set_machine(host_name());
    h->set_threads(static_cast<std::uint32_t>(options.threads > 0 ? options.threads : std::thread::hardware_concurrency()));
    h->set_token(options.token);
    const auto s = current_session();
    h->set_run_id(s ? s->run_id() : std::string());
    h->set_master_timeout_ms(static_cast<std::uint32_t>(options.master_timeout.count() / 1000));
    return stream->open(hello, std::min(hello_timeout, wait_limit));
}

void worker_agent::impl::close_stream() {
    serving = false;
    const auto end = stream->close();
    ended_by_master = end.by_master;
    last_status = end.code;
}

bool worker_agent::impl::send_state(v1::StateChange::State state, const std::string& detail) {
    v1::WorkerMessage m;
    m.mutable_state()->set_state(state);
    m.mutable_state()->set_last_sequence(outbox.last_sequence());
    m.mutable_state()->set_detail(detail);
    return write(m);
}

namespace {

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

void worker_agent::impl::collect() {
    std::lock_guard lock(collect_mutex);
    const auto s = current_session();
    // What was taken while cut off goes first, in order; a run that ended since is not this one's.
    for (auto& o : offline) {
        if (o.session != s) continue;
        requests += o.delta.total_requests();
        for (const auto& e : o.delta.endpoints) failures += e.failures;
        outbox.add(std::move(o.delta), o.taken_ms, true);
    }
    offline.clear();
    if (!s) return;
    auto delta = s->take_delta();
    requests += delta.total_requests();
    for (const auto& e : delta.endpoints) failures += e.failures;
    outbox.add(std::move(delta), unix_ms_now());
}

// The watchdog's: while no stream is welcomed, the engine's counts are taken at each aligned
// boundary all the same (at most as many as the outbox keeps; past it they merge into the newest).
void worker_agent::impl::collect_offline(steady::time_point& next) {
    const common::micros interval{offline_interval_us.load()};
    const auto now = steady::now();
    if (serving || next == steady::time_point{}) {
        next = next_aligned_snapshot(interval, worker_id);
        return;
    }
    if (now < next) return;
    next = next_aligned_snapshot(interval, worker_id);
    std::lock_guard lock(collect_mutex);
    if (serving) return;
    const auto s = current_session();
    if (!s) return;
    auto delta = s->take_delta();
    if (delta.empty()) return;
    if (offline.size() >= options.max_unacked && !offline.empty() && offline.back().session == s) {
        offline.back().delta.merge(delta);
        offline.back().taken_ms = unix_ms_now();
        return;
    }
    offline.push_back({s, std::move(delta), unix_ms_now()});
}

// Snapshots are encoded as they go; the newest of a batch carries the heartbeat (what the
// worker has counted so far, its CPU and memory).
std::optional<std::size_t> worker_agent::impl::send_unsent(bool everything) {
    return outbox.send_unsent([&](const outgoing_snapshot& s, bool last) {
        v1::WorkerMessage m;
        auto& snapshot = *m.mutable_snapshot();
        wire::encode_snapshot(s.delta, s.sequence, snapshot);
        snapshot.set_covered_until_ms(s.covered_until_ms);
        if (last) fill_heartbeat(*snapshot.mutable_heartbeat(), last_reported_users);
        // Past the channel's limit the master would refuse it on every attempt: its counts
        // would never arrive. Said loudly, and the run is told this worker cannot go on.
        if (const auto size = m.ByteSizeLong(); size > wire::max_control_message_bytes) {
            const auto why = "snapshot " + std::to_string(s.sequence) + " is " + std::to_string(size) +
                             " bytes, past the control channel's " +
                             std::to_string(wire::max_control_message_bytes) + ": its counts cannot be sent";
            spdlog::error("{}", why);
            send_state(v1::StateChange::FAILED, why);
            unsendable = true;
            return false;
        }
        return write(m);
    }, everything, unix_ms_now());
}

void worker_agent::impl::stop_users(common::micros grace) {
    const auto s = current_session();
    if (s && s->stop(grace)) collect();
}

void worker_agent::impl::begin_stop(common::micros grace) {
    if (const auto s = current_session()) s->begin_stop();
    const auto deadline = steady::now() + grace;
    stop_deadline = stop_deadline ? std::min(*stop_deadline, deadline) : deadline;
}

bool worker_agent::impl::stop_finished() {
    const auto s = current_session();
    if (s && !s->users_ended() && steady::now() < *stop_deadline) return false;
    stop_users(common::micros(0));  // cuts off what is still in flight, and collects
    stop_deadline.reset();
    return true;
}

// The safety rule: never keep loading a target for a master that has gone silent. What the
// users counted stays in the engine until the agent thread collects it.
void worker_agent::impl::stop_if_master_silent() {
    if (!master_silent()) return;
    const auto s = current_session();
    if (!s || !s->users_running()) return;
    spdlog::warn("no word from the master for {}: stopping all users", common::format_duration(options.master_timeout));
    s->stop(common::micros(0));
}

// This worker cannot run the scenario: it says so here and tells the master, which ends the
// run with the reason; the stream stays open until the master has it (or a second passes).
session_end worker_agent::impl::cannot_run(const std::string& why) {
    spdlog::error("cannot run the scenario: {}", why);
    if (send_state(v1::StateChange::FAILED, why)) await_stream_end(2s);
    return session_end::failed;
}

// Closing the call at once could discard what was just written (a cancel does not wait for
// the transport): the last word waits for the master, which ends the stream once it has it.
void worker_agent::impl::await_stream_end(common::micros limit) {
    const auto until = steady::now() + limit;
    while (!take_inbox(until).second && steady::now() < until) {}
}

std::optional<session_end> worker_agent::impl::on_welcome(const v1::Welcome& w) {
    snapshot_interval = common::micros(std::max<std::uint32_t>(50, w.snapshot_interval_ms()) * 1000LL);
    offline_interval_us = snapshot_interval.count();
    heartbeat_interval = common::micros(std::max<std::uint32_t>(50, w.heartbeat_interval_ms()) * 1000LL);
    auto current = current_session();
    if (!current || current->run_id() != w.run_id() || session_plan_revision != w.plan_revision()) {
        const bool replanned = current && current->run_id() == w.run_id();
        current.reset();
        stop_users(common::micros(0));
        stop_deadline.reset();  // a stop left pending belonged to the session that ends here
        {
            std::lock_guard lock(session_mutex);
            session.reset();
        }
        // What it kept belongs to a run whose master is gone (a re-plan comes before the start,
        // when nothing was counted).
        outbox.start_run(w.acked_sequence());
        // The plan carries the data files and environment values the master read, so every
        // worker runs the scenario the master validated.
        auto opened = run_session::open(w.run_id(), wire::decode_run_plan(w.plan()), {options.threads, worker_id});
        if (!opened) return cannot_run(opened.error());
        std::lock_guard lock(session_mutex);
        session = std::move(*opened);
        session_plan_revision = w.plan_revision();
        spdlog::info("{} run {}: {}", replanned ? "re-planned before its start:" : "joined", session->run_id(),
                     session->scenario_path());
    }
    if (!options.token.empty() && !w.token_required() && !warned_token_unchecked) {
        warned_token_unchecked = true;
        spdlog::warn("this master checks no token: the --token given here protects nothing, and anyone who reaches "
                     "the master may join it; give the master the same --token");
    }
    outbox.resend_after(w.acked_sequence());  // the master has not applied the rest: send again
    welcomed = true;
    serving = true;
    if (!send_state(v1::StateChange::READY) || !send_unsent()) return session_end::broken;
    return std::nullopt;
}

std::optional<session_end> worker_agent::impl::handle(const v1::MasterMessage& m) {
    last_heard = steady::now().time_since_epoch().count();
    switch (m.kind_case()) {
        case v1::MasterMessage::kWelcome: return on_welcome(m.welcome());
        case v1::MasterMessage::kAssignment: {
            const auto s = current_session();
            if (!s) break;
            const auto& a = m.assignment();
            std::vector<int> users(a.users_per_class().begin(), a.users_per_class().end());
            s->assign(std::move(users), a.spawn_rate(), a.spawn_phase(), arrivals_of(a));
            break;
        }
        case v1::MasterMessage::kStop:  // finished in serve(), once the users have ended
            begin_stop(common::micros(m.stop().grace_ms() * 1000LL));
            break;
        case v1::MasterMessage::kQuit: {
            stop_users(common::micros(0));
            send_unsent(true);
            v1::WorkerMessage bye;
            bye.mutable_goodbye()->set_reason("the master ended the run");
            write(bye);
            spdlog::info("the master ended the run: {}", m.quit().reason());
            return session_end::quit;
        }
        case v1::MasterMessage::kAck:
            outbox.acknowledge(m.ack().sequence());
            if (!send_unsent()) return session_end::broken;  // what waited for the link to catch up
            break;
        case v1::MasterMessage::kRefusal:
            spdlog::error("the master refused this worker: {}", m.refusal().reason());
            return session_end::refused;
        default: break;
    }
    return std::nullopt;
}

session_end worker_agent::impl::serve() {
    auto next_snapshot = next_aligned_snapshot(snapshot_interval, worker_id);
    auto next_heartbeat = steady::now();
    auto next_progress_check = steady::now();
    last_reported_users = -1;
    bool interrupting = false;  // a signal: stop the users, send what they counted, say goodbye
    for (;;) {
        auto [batch, ended] = take_inbox(steady::now() + 20ms);
        if (auto end = handle_all(batch)) return *end == session_end::broken ? drain() : *end;
        if (ended) return drain();
        const auto now = steady::now();
        if (welcomed && now >= next_snapshot) {
            next_snapshot += snapshot_interval;
            collect();
            const auto sent = send_unsent();
            if (!sent) return drain();
            if (*sent > 0) next_heartbeat = now + heartbeat_interval;  // the newest sent carried it
        }
        // A heartbeat of its own in an interval without a snapshot, and early when the user
        // count moved (spawn progress), so the master's figure is never an interval behind.
        if (now >= next_progress_check) {
            next_progress_check = now + 100ms;
            if (current_users() != last_reported_users) next_heartbeat = now;
        }
        if (now >= next_heartbeat) {
            next_heartbeat = now + heartbeat_interval;
            v1::WorkerMessage hb;
            fill_heartbeat(*hb.mutable_heartbeat(), last_reported_users);
            if (!write(hb)) return drain();
        }
        // Once welcomed on this stream: before, the silence is the last stream's (a worker that
        // waited for its master longer than its timeout would close every new stream before its
        // welcome could cross a slow link), and the stream's first-word deadline bounds the wait.
        if (welcomed && master_silent()) return session_end::broken;  // the watchdog stops the users
        if (stop_requested && !interrupting) {
            interrupting = true;
            begin_stop(options.stop_grace);
        }
        if (stop_deadline && stop_finished()) {
            const bool sent = send_unsent(true) && send_state(v1::StateChange::STOPPED);
            if (interrupting) {
                v1::WorkerMessage bye;
                bye.mutable_goodbye()->set_reason("interrupted");
                if (write(bye)) await_stream_end(1s);
                return session_end::interrupted;
            }
            if (!sent) return drain();
        }
    }
}

// Handles messages in order. A failed write (broken) does not skip what follows: a quit or a
// refusal behind it still decides how the session ended.
std::optional<session_end> worker_agent::impl::handle_all(const std::deque<v1::MasterMessage>& batch) {
    std::optional<session_end> broken;
    for (const auto& m : batch) {
        auto end = handle(m);
        if (end == session_end::broken) broken = end;
        else if (end) return end;
    }
    return broken;
}

// A write failed or the reader saw the stream end: the call is over. What the master sent
// before ending it (its quit, above all) may still be on the way to the inbox; handle it, so a
// run that ended cleanly is not taken for a lost master.
session_end worker_agent::impl::drain() {
    serving = false;  // nothing more is sent on this stream: the watchdog takes the counts meanwhile
    const auto until = steady::now() + 1s;
    for (;;) {
        auto [batch, ended] = take_inbox(until);
        if (auto end = handle_all(batch); end && *end != session_end::broken) return *end;
        if (ended || steady::now() >= until) return session_end::broken;
    }
}

// Sleeps up to `d`, still watching the master's silence; false when asked to stop.
bool worker_agent::impl::wait_or_stop(common::micros d) {
    const auto until = steady::now() + d;
    while (steady::now() < until) {
        if (stop_requested) return false;
        std::this_thread::sleep_for(20ms);
    }
    return !stop_requested;
}

worker_agent::worker_agent(agent_options options, std::shared_ptr<grpc::Channel> channel)
    : impl_(std::make_unique<impl>()) {
    impl_->options = std::move(options);
    impl_->outbox = snapshot_outbox(impl_->options.max_unacked);
    if (impl_->options.name.empty()) impl_->options.name = host_name() + "-" + std::to_string(getpid());
    if (!channel) {
        const auto& o = impl_->options;
        auto made = make_master_channel(o.master, {o.tls_ca, o.tls_cert, o.tls_key, o.tls_server_name});
        if (made) channel = std::move(*made);
        else impl_->config_error = made.error();  // run() reports it
    }
    impl_->channel = std::move(channel);
    if (impl_->channel) {
        impl_->stub = v1::Coordinator::NewStub(impl_->channel);
        impl_->stream = std::make_unique<master_stream>(*impl_->stub, impl_->options.master_timeout);
    }
    impl_->watchdog = std::thread([s = impl_.get()] { s->watch(); });
}

worker_agent::~worker_agent() {
    impl_->shutting_down = true;
    impl_->watchdog.join();
    impl_->stream.reset();
}

int worker_agent::run() {
    auto& s = *impl_;
    if (!s.config_error.empty()) {
        spdlog::error("{}", s.config_error);
        return agent_bad_configuration;
    }
    const auto started = steady::now();
    bool ever_welcomed = false, announced_wait = false;
    std::string unreachable;  // gRPC's last reason the channel failed, said once per change
    common::micros backoff = 200ms;
    while (!s.stop_requested) {
        session_end end = session_end::broken;
        // Before any master answered, --master-wait also bounds how long one attempt waits.
        auto limit = hello_timeout;
        if (!ever_welcomed && s.options.master_wait.count() > 0)
            limit = std::max<common::micros>(200ms, s.options.master_wait - std::chrono::duration_cast<common::micros>(
                                                                                  steady::now() - started));
        if (s.open_stream(limit)) end = s.serve();
        ever_welcomed = ever_welcomed || s.welcomed;
        s.close_stream();
        // A stream the master ended with OK after welcoming us means the run is over, even if
        // its quit message was lost on the way.
        if (end == session_end::broken && s.welcomed && s.ended_by_master) {
            spdlog::info("the master ended the run");
            s.stop_users(common::micros(0));
            return agent_done;
        }
        // The master itself closed this stream (it took the worker for lost, or replaced it): its
        // users are another worker's now, so they stop here at once rather than at the timeout.
        if (end == session_end::broken && s.last_status == grpc::StatusCode::ABORTED && s.current_users() > 0) {
            spdlog::warn("the master closed this worker's stream: stopping all users");
            s.stop_users(common::micros(0));
        }
        if (s.unsendable) {
            s.stop_users(common::micros(0));
            return agent_cannot_run;
        }
        // A message past the channel's size limit fails the same way on every attempt.
        if (end == session_end::broken && s.last_status == grpc::StatusCode::RESOURCE_EXHAUSTED) {
            spdlog::error("a message from the master is larger than the control channel carries");
            s.stop_users(common::micros(0));
            return agent_cannot_run;
        }
        switch (end) {
            case session_end::quit: return agent_done;
            case session_end::refused: s.stop_users(common::micros(0)); return agent_refused;
            case session_end::failed: s.stop_users(common::micros(0)); return agent_cannot_run;
            case session_end::interrupted: return agent_interrupted;
            case session_end::broken: break;
        }
        if (s.welcomed) backoff = 200ms;
        if (!s.welcomed) {
            // What keeps the master out of reach, said as soon as it is known: a TLS handshake
            // that fails will fail on every attempt.
            auto reason = unreachable_reason(*s.channel, *s.stub);
            if (!reason.empty()) reason = with_hint(std::move(reason), !s.options.tls_ca.empty());
            if (!reason.empty() && reason != unreachable) spdlog::warn("cannot reach the master at {}: {}", s.options.master, reason);
            if (!reason.empty()) unreachable = std::move(reason);
        }
        if (!ever_welcomed && s.options.master_wait.count() > 0 && steady::now() - started > s.options.master_wait) {
            spdlog::error("no master at {} within {}{}", s.options.master, common::format_duration(s.options.master_wait),
                          unreachable.empty() ? "" : ": " + unreachable);
            return agent_unreachable;
        }
        if (s.welcomed) {
            spdlog::warn("lost the master's stream: reconnecting");
        } else if (!announced_wait) {
            spdlog::info("waiting for the master at {}", s.options.master.empty() ? "(in process)" : s.options.master);
            announced_wait = true;
        }
        if (!s.wait_or_stop(backoff)) break;
        backoff = std::min<common::micros>(backoff * 2, 2s);
    }
    s.stop_users(common::micros(0));
    return agent_interrupted;
}

void worker_agent::stop() { impl_->stop_requested = true; }
std::uint64_t worker_agent::requests_counted() const { return impl_->requests; }
std::uint64_t worker_agent::failures_counted() const { return impl_->failures; }

}  // namespace stampede::worker
