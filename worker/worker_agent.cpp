#include "worker/worker_agent.hpp"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <limits>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "proto/control_transport.hpp"
#include "proto/protocol.hpp"
#include "proto/snapshot_codec.hpp"
#include "proto/tls_credentials.hpp"
#include "proto/wire_text.hpp"
#include "proto/run_plan_codec.hpp"
#include "stampede/v1/cluster.grpc.pb.h"
#include "worker/process_usage.hpp"
#include "worker/run_session.hpp"
#include "worker/snapshot_outbox.hpp"

namespace stampede::worker {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// A master that does not answer a hello within this long is treated as unreachable.
constexpr common::micros hello_timeout = std::chrono::seconds(5);

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

// TLS files are read when the agent starts; a missing one is a configuration error.
std::shared_ptr<grpc::Channel> make_channel(const agent_options& o, std::string& error) {
    grpc::ChannelArguments args;
    wire::configure_worker_channel(args);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!o.tls_ca.empty()) {
        auto loaded = wire::channel_credentials(o.tls_ca, o.tls_cert, o.tls_key);
        if (loaded) credentials = *loaded;
        else error = loaded.error();  // the insecure channel stays unused: run() reports the error
        if (!o.tls_server_name.empty()) args.SetSslTargetNameOverride(o.tls_server_name);
    }
    return grpc::CreateCustomChannel(o.master, credentials, args);
}

enum class session_end { quit, refused, broken, interrupted, failed };

// Snapshots leave every worker at the same moments: at the wall clock's interval boundaries,
// plus this worker's own offset within the first tenth of the interval. Every worker's
// intervals then cover the same spans of time, so the master's per-interval figures add up
// like with like; and the master receives a round of snapshots in one short window, handling
// many per wake-up instead of being woken once per snapshot all through the interval.
steady::time_point aligned_snapshot_time(common::micros interval, const std::string& worker_id) {
    const auto since_epoch =
        std::chrono::duration_cast<common::micros>(std::chrono::system_clock::now().time_since_epoch());
    const auto offset = common::micros(static_cast<common::micros::rep>(
        std::hash<std::string>{}(worker_id) % static_cast<std::size_t>(interval.count() / 10 + 1)));
    auto wait = interval - since_epoch % interval + offset;
    if (wait > interval) wait -= interval;
    return steady::now() + std::chrono::duration_cast<steady::duration>(wait);
}

}  // namespace

struct worker_agent::impl {
    using stream_type = grpc::ClientReaderWriter<v1::WorkerMessage, v1::MasterMessage>;

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
    std::shared_ptr<run_session> current_session() {
        std::lock_guard lock(session_mutex);
        return session;
    }
    snapshot_outbox outbox{600};
    common::micros snapshot_interval{1s}, heartbeat_interval{1s};
    std::atomic<steady::rep> last_heard{steady::now().time_since_epoch().count()};

    // The current stream. The watchdog cancels it when the master stays quiet past
    // `stream_deadline`, so no blocking call on it can hang the agent.
    std::mutex context_mutex;
    std::atomic<steady::rep> stream_deadline{0};
    std::thread watchdog;
    std::atomic<bool> shutting_down{false};
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<stream_type> stream;
    std::thread reader;
    std::mutex inbox_mutex;
    std::condition_variable inbox_ready;
    std::deque<v1::MasterMessage> inbox;
    bool stream_ended = false;
    bool welcomed = false;
    bool ended_by_master = false;  // the master closed the stream with OK: the run is over
    grpc::StatusCode last_status = grpc::StatusCode::OK;
    bool unsendable = false;  // a snapshot too large for the channel: the worker cannot go on

    bool open_stream(common::micros wait_limit);
    void close_stream();
    void watch();
    void extend_deadline(common::micros d);
    session_end serve();
    session_end drain();
    std::optional<session_end> handle_all(const std::deque<v1::MasterMessage>& batch);
    // What the reader received, once there is something or `until` passes; and whether the
    // stream has ended.
    std::pair<std::deque<v1::MasterMessage>, bool> take_inbox(steady::time_point until) {
        std::unique_lock lock(inbox_mutex);
        inbox_ready.wait_until(lock, until, [&] { return !inbox.empty() || stream_ended; });
        return {std::exchange(inbox, {}), stream_ended};
    }
    std::optional<session_end> handle(const v1::MasterMessage& m);
    std::optional<session_end> on_welcome(const v1::Welcome& w);
    session_end cannot_run(const std::string& why);
    bool write(v1::WorkerMessage& m) {
        if (const auto repaired = wire::repair_text_fields(m))
            spdlog::warn("replaced invalid UTF-8 in {} field(s) of a message to the master", repaired);
        return stream && stream->Write(m);
    }
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
    }
    int current_users() {
        const auto s = current_session();
        return s ? s->users() : 0;
    }
    bool send_unsent();
    void stop_users(common::micros grace);
    void stop_if_master_silent();
    bool master_silent() const {
        return steady::now().time_since_epoch().count() - last_heard >
               std::chrono::duration_cast<steady::duration>(options.master_timeout).count();
    }
    bool wait_or_stop(common::micros d);
};

void worker_agent::impl::extend_deadline(common::micros d) {
    stream_deadline = (steady::now() + d).time_since_epoch().count();
}

// Runs beside the agent thread, which may be blocked on the stream: cancels a stream whose
// master went quiet and enforces the safety rule, whatever the agent thread is doing.
void worker_agent::impl::watch() {
    while (!shutting_down) {
        std::this_thread::sleep_for(50ms);
        stop_if_master_silent();
        std::lock_guard lock(context_mutex);
        if (context && steady::now().time_since_epoch().count() > stream_deadline) {
            spdlog::debug("the master's stream went quiet: cancelling it");
            context->TryCancel();
            stream_deadline = std::numeric_limits<steady::rep>::max();
        }
    }
}

bool worker_agent::impl::open_stream(common::micros wait_limit) {
    {
        std::lock_guard lock(context_mutex);
        context = std::make_unique<grpc::ClientContext>();
        // Wait for the channel to connect rather than failing on its last error; the
        // watchdog bounds the wait.
        context->set_wait_for_ready(true);
        extend_deadline(std::min(hello_timeout, wait_limit));
    }
    stream = stub->Connect(context.get());
    {
        std::lock_guard lock(inbox_mutex);
        inbox.clear();
        stream_ended = false;
    }
    welcomed = false;
    reader = std::thread([this] {
        v1::MasterMessage m;
        while (stream->Read(&m)) {
            extend_deadline(options.master_timeout);
            std::lock_guard lock(inbox_mutex);
            inbox.push_back(std::move(m));
            inbox_ready.notify_one();
        }
        std::lock_guard lock(inbox_mutex);
        stream_ended = true;
        inbox_ready.notify_one();
    });
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
    return write(hello);
}

void worker_agent::impl::close_stream() {
    if (!stream) return;
    bool reader_done = false;
    {
        std::lock_guard lock(inbox_mutex);
        reader_done = stream_ended;
    }
    // Cancelling a call that already ended would replace the master's status with CANCELLED.
    if (!reader_done) context->TryCancel();
    reader.join();
    const auto status = stream->Finish();
    ended_by_master = status.ok();
    last_status = status.error_code();
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED)
        spdlog::debug("stream to the master ended: {}", status.error_message());
    stream.reset();
    std::lock_guard lock(context_mutex);
    context.reset();
}

bool worker_agent::impl::send_state(v1::StateChange::State state, const std::string& detail) {
    v1::WorkerMessage m;
    m.mutable_state()->set_state(state);
    m.mutable_state()->set_last_sequence(outbox.last_sequence());
    m.mutable_state()->set_detail(detail);
    return write(m);
}

void worker_agent::impl::collect() {
    const auto s = current_session();
    if (!s) return;
    auto delta = s->take_delta();
    requests += delta.total_requests();
    for (const auto& e : delta.endpoints) failures += e.failures;
    outbox.add(std::move(delta));
}

// Snapshots are encoded as they go; the newest of a batch carries the heartbeat (what the
// worker has counted so far, its CPU and memory).
bool worker_agent::impl::send_unsent() {
    return outbox.send_unsent([&](const outgoing_snapshot& s, bool last) {
        v1::WorkerMessage m;
        auto& snapshot = *m.mutable_snapshot();
        wire::encode_snapshot(s.delta, s.sequence, snapshot);
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
    });
}

void worker_agent::impl::stop_users(common::micros grace) {
    const auto s = current_session();
    if (s && s->stop(grace)) collect();
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
    if (send_state(v1::StateChange::FAILED, why)) {
        const auto until = steady::now() + 2s;
        while (!take_inbox(until).second && steady::now() < until) {}
    }
    return session_end::failed;
}

std::optional<session_end> worker_agent::impl::on_welcome(const v1::Welcome& w) {
    snapshot_interval = common::micros(std::max<std::uint32_t>(50, w.snapshot_interval_ms()) * 1000LL);
    heartbeat_interval = common::micros(std::max<std::uint32_t>(50, w.heartbeat_interval_ms()) * 1000LL);
    if (const auto current = current_session(); !current || current->run_id() != w.run_id()) {
        stop_users(common::micros(0));
        {
            std::lock_guard lock(session_mutex);
            session.reset();
        }
        outbox.start_run(w.acked_sequence());  // what it kept belongs to a run whose master is gone
        // The plan carries the data files and environment values the master read, so every
        // worker runs the scenario the master validated.
        auto opened = run_session::open(w.run_id(), wire::decode_run_plan(w.plan()), {options.threads, worker_id});
        if (!opened) return cannot_run(opened.error());
        std::lock_guard lock(session_mutex);
        session = std::move(*opened);
        spdlog::info("joined run {}: {}", session->run_id(), session->scenario_path());
    }
    outbox.resend_after(w.acked_sequence());  // the master has not applied the rest: send again
    welcomed = true;
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
            std::vector<int> users(m.assignment().users_per_class().begin(), m.assignment().users_per_class().end());
            s->assign(std::move(users), m.assignment().spawn_rate(), m.assignment().spawn_phase());
            break;
        }
        case v1::MasterMessage::kStop:
            stop_users(common::micros(m.stop().grace_ms() * 1000LL));
            if (!send_unsent() || !send_state(v1::StateChange::STOPPED)) return session_end::broken;
            break;
        case v1::MasterMessage::kQuit: {
            stop_users(common::micros(0));
            send_unsent();
            v1::WorkerMessage bye;
            bye.mutable_goodbye()->set_reason("the master ended the run");
            write(bye);
            spdlog::info("the master ended the run: {}", m.quit().reason());
            return session_end::quit;
        }
        case v1::MasterMessage::kAck:
            outbox.acknowledge(m.ack().sequence());
            break;
        case v1::MasterMessage::kRefusal:
            spdlog::error("the master refused this worker: {}", m.refusal().reason());
            return session_end::refused;
        default: break;
    }
    return std::nullopt;
}

session_end worker_agent::impl::serve() {
    auto next_snapshot = aligned_snapshot_time(snapshot_interval, worker_id);
    auto next_heartbeat = steady::now();
    auto next_progress_check = steady::now();
    last_reported_users = -1;
    for (;;) {
        auto [batch, ended] = take_inbox(steady::now() + 20ms);
        if (auto end = handle_all(batch)) return *end == session_end::broken ? drain() : *end;
        if (ended) return drain();
        const auto now = steady::now();
        if (welcomed && now >= next_snapshot) {
            next_snapshot += snapshot_interval;
            collect();
            // The newest snapshot carries this interval's heartbeat.
            if (outbox.has_unsent()) next_heartbeat = now + heartbeat_interval;
            if (!send_unsent()) return drain();
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
        if (master_silent()) return session_end::broken;  // the watchdog stops the users
        if (stop_requested) {
            stop_users(options.stop_grace);
            send_unsent();
            send_state(v1::StateChange::STOPPED);
            v1::WorkerMessage bye;
            bye.mutable_goodbye()->set_reason("interrupted");
            write(bye);
            return session_end::interrupted;
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
    impl_->channel = channel ? std::move(channel) : make_channel(impl_->options, impl_->config_error);
    impl_->stub = v1::Coordinator::NewStub(impl_->channel);
    impl_->watchdog = std::thread([s = impl_.get()] { s->watch(); });
}

worker_agent::~worker_agent() {
    impl_->shutting_down = true;
    impl_->watchdog.join();
}

int worker_agent::run() {
    auto& s = *impl_;
    if (!s.config_error.empty()) {
        spdlog::error("{}", s.config_error);
        return agent_bad_configuration;
    }
    const auto started = steady::now();
    bool ever_welcomed = false, announced_wait = false;
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
        if (!ever_welcomed && s.options.master_wait.count() > 0 && steady::now() - started > s.options.master_wait) {
            spdlog::error("no master at {} within {}", s.options.master, common::format_duration(s.options.master_wait));
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
