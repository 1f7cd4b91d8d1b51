// The worker agent: the threads and the stream around an agent_session. Its reconnect loop
// opens a stream to the master, serves it until it ends, and decides from how it ended whether
// to reconnect or exit; its watchdog cancels a stream whose master went quiet and enforces the
// safety rule whatever the loop is doing.
#include "worker/worker_agent.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>
#include <sstream>
#include <thread>
#include <utility>

#include "proto/master_connection.hpp"
#include "worker/agent_session.hpp"

namespace stampede::worker {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

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

// The session speaks through the stream.
class stream_link final : public master_link {
public:
    explicit stream_link(wire::master_connection& stream) : stream_(stream) {}
    wire::send_result send(const wire::worker_outgoing& message) override { return stream_.send(message); }

private:
    wire::master_connection& stream_;
};

}  // namespace

struct worker_agent::impl {
    agent_options options;
    std::string config_error;
    std::shared_ptr<wire::master_channel> channel;
    std::unique_ptr<agent_session> session;
    std::atomic<bool> stop_requested{false};

    // The call to the master; the watchdog cancels it when the master stays quiet, so no
    // blocking call on it can hang the agent.
    std::unique_ptr<wire::master_connection> stream;
    std::unique_ptr<stream_link> link;
    std::thread watchdog;
    std::atomic<bool> shutting_down{false};
    wire::master_connection::ending last_end;

    bool open_stream(common::micros wait_limit);
    void close_stream();
    void watch();
    session_end serve();
    session_end drain();
    void await_stream_end(common::micros limit);
    bool wait_or_stop(common::micros d);
    // What ends the agent after a stream's session, if anything; logged as it is decided.
    std::optional<int> exit_after(session_end end);
    void note_unreachable(std::string& said);
};

// Runs beside the agent thread, which may be blocked on the stream: cancels a stream whose
// master went quiet and enforces the safety rule, whatever the agent thread is doing.
void worker_agent::impl::watch() {
    while (!shutting_down) {
        std::this_thread::sleep_for(50ms);
        session->stop_if_master_silent();
        session->collect_offline();
        if (stream) stream->cancel_if_quiet();
        // Stopped while still waiting for a master: nothing to send, so no reason to wait on.
        if (stream && stop_requested && !session->welcomed()) stream->cancel();
    }
}

bool worker_agent::impl::open_stream(common::micros wait_limit) {
    session->stream_opened(*link);
    return stream->open(session->greeting(options.name, host_name()), std::min(hello_timeout, wait_limit));
}

void worker_agent::impl::close_stream() {
    session->stream_closed();
    last_end = stream->close();
}

// Closing the call at once could discard what was just written (a cancel does not wait for
// the transport): the last word waits for the master, which ends the stream once it has it.
void worker_agent::impl::await_stream_end(common::micros limit) {
    const auto until = steady::now() + limit;
    while (!stream->take(until).second && steady::now() < until) {}
}

session_end worker_agent::impl::serve() {
    for (;;) {
        auto [batch, ended] = stream->take(steady::now() + 20ms);
        auto end = session->handle_all(batch);
        if (!end && ended) end = session_end::broken;
        if (!end) end = session->tick(stop_requested);
        if (!end) continue;
        if (*end == session_end::broken) return drain();
        // The last word (a failure, a goodbye) waits for the master to end the stream.
        if (*end == session_end::failed) await_stream_end(2s);
        if (*end == session_end::interrupted) await_stream_end(1s);
        return *end;
    }
}

// A write failed or the reader saw the stream end: the call is over. What the master sent
// before ending it (its quit, above all) may still be on the way to the inbox; handle it, so a
// run that ended cleanly is not taken for a lost master.
session_end worker_agent::impl::drain() {
    session->stream_closed();  // nothing more is sent on this stream: the watchdog takes the counts meanwhile
    const auto until = steady::now() + 1s;
    for (;;) {
        auto [batch, ended] = stream->take(until);
        if (auto end = session->handle_all(batch); end && *end != session_end::broken) return *end;
        if (ended || steady::now() >= until) return session_end::broken;
    }
}

// Sleeps up to `d`; false when asked to stop.
bool worker_agent::impl::wait_or_stop(common::micros d) {
    const auto until = steady::now() + d;
    while (steady::now() < until) {
        if (stop_requested) return false;
        std::this_thread::sleep_for(20ms);
    }
    return !stop_requested;
}

worker_agent::worker_agent(agent_options options, std::shared_ptr<wire::master_channel> channel)
    : impl_(std::make_unique<impl>()) {
    auto& o = impl_->options = std::move(options);
    if (o.name.empty()) o.name = host_name() + "-" + std::to_string(getpid());
    impl_->session = std::make_unique<agent_session>(
        session_options{random_id(), o.threads, o.token, o.master_timeout, o.stop_grace, o.max_unacked});
    if (!channel) {
        auto made = wire::channel_to_master(o.master, {o.tls_ca, o.tls_cert, o.tls_key, o.tls_server_name});
        if (made) channel = std::move(*made);
        else impl_->config_error = made.error();  // run() reports it
    }
    impl_->channel = std::move(channel);
    if (impl_->channel) {
        impl_->stream = std::make_unique<wire::master_connection>(impl_->channel, o.master_timeout);
        impl_->link = std::make_unique<stream_link>(*impl_->stream);
    }
    impl_->watchdog = std::thread([s = impl_.get()] { s->watch(); });
}

worker_agent::~worker_agent() {
    impl_->shutting_down = true;
    impl_->watchdog.join();
    impl_->stream.reset();
}

std::optional<int> worker_agent::impl::exit_after(session_end end) {
    const bool welcomed = session->welcomed();
    // A stream the master ended with OK after welcoming us means the run is over, even if
    // its quit message was lost on the way.
    if (end == session_end::broken && welcomed && last_end.by_master) {
        spdlog::info("the master ended the run");
        session->stop_users(common::micros(0));
        return agent_done;
    }
    // The master itself closed this stream (it took the worker for lost, or replaced it): its
    // users are another worker's now, so they stop here at once rather than at the timeout.
    if (end == session_end::broken && last_end.closed_by_master && session->current_users() > 0) {
        spdlog::warn("the master closed this worker's stream: stopping all users");
        session->stop_users(common::micros(0));
    }
    if (session->unsendable()) {
        session->stop_users(common::micros(0));
        return agent_cannot_run;
    }
    // A message past the channel's size limit fails the same way on every attempt.
    if (end == session_end::broken && last_end.message_too_large) {
        spdlog::error("a message from the master is larger than the control channel carries");
        session->stop_users(common::micros(0));
        return agent_cannot_run;
    }
    switch (end) {
        case session_end::quit: return agent_done;
        case session_end::refused: session->stop_users(common::micros(0)); return agent_refused;
        case session_end::failed: session->stop_users(common::micros(0)); return agent_cannot_run;
        case session_end::interrupted: return agent_interrupted;
        case session_end::broken: break;
    }
    return std::nullopt;
}

// What keeps the master out of reach, said as soon as it is known (a TLS handshake that fails
// will fail on every attempt), once per change.
void worker_agent::impl::note_unreachable(std::string& said) {
    auto reason = stream->unreachable_reason();
    if (reason.empty()) return;
    reason = with_hint(std::move(reason), !options.tls_ca.empty());
    if (reason != said) spdlog::warn("cannot reach the master at {}: {}", options.master, reason);
    said = std::move(reason);
}

int worker_agent::run() {
    auto& s = *impl_;
    if (!s.config_error.empty()) {
        spdlog::error("{}", s.config_error);
        return agent_bad_configuration;
    }
    const auto started = steady::now();
    const auto& wait = s.options.master_wait;
    bool ever_welcomed = false, announced_wait = false;
    std::string unreachable;  // gRPC's last reason the channel failed
    common::micros backoff = 200ms;
    while (!s.stop_requested) {
        session_end end = session_end::broken;
        // Before any master answered, --master-wait also bounds how long one attempt waits.
        auto limit = hello_timeout;
        if (!ever_welcomed && wait.count() > 0)
            limit = std::max<common::micros>(200ms, wait - std::chrono::duration_cast<common::micros>(steady::now() - started));
        if (s.open_stream(limit)) end = s.serve();
        const bool welcomed = s.session->welcomed();
        ever_welcomed = ever_welcomed || welcomed;
        s.close_stream();
        if (const auto code = s.exit_after(end)) return *code;
        if (welcomed) backoff = 200ms;
        else s.note_unreachable(unreachable);
        if (!ever_welcomed && wait.count() > 0 && steady::now() - started > wait) {
            spdlog::error("no master at {} within {}{}", s.options.master, common::format_duration(wait),
                          unreachable.empty() ? "" : ": " + unreachable);
            return agent_unreachable;
        }
        if (welcomed) {
            spdlog::warn("lost the master's stream: reconnecting");
        } else if (!announced_wait) {
            spdlog::info("waiting for the master at {}", s.options.master.empty() ? "(in process)" : s.options.master);
            announced_wait = true;
        }
        if (!s.wait_or_stop(backoff)) break;
        backoff = std::min<common::micros>(backoff * 2, 2s);
    }
    s.session->stop_users(common::micros(0));
    return agent_interrupted;
}

void worker_agent::stop() { impl_->stop_requested = true; }
std::uint64_t worker_agent::requests_counted() const { return impl_->session->requests_counted(); }
std::uint64_t worker_agent::failures_counted() const { return impl_->session->failures_counted(); }

}  // namespace stampede::worker
