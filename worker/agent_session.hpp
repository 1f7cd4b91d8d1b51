#pragma once
// A worker's dealings with its master, as decisions: what each message from the master does
// (welcome, assignment, stop, quit, acknowledgement, refusal), when a snapshot or a heartbeat
// goes, how a stop proceeds, and the safety rule (no users run for a master gone silent). It
// speaks through a `master_link` and knows nothing of gRPC or threads: the worker agent drives
// it from its stream loop and its watchdog, and unit tests drive it through a fake link.
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "proto/message_codec.hpp"
#include "worker/process_usage.hpp"
#include "worker/run_session.hpp"
#include "worker/snapshot_outbox.hpp"

namespace stampede::worker {

// What the session says through: the stream to the master, or a fake.
class master_link {
public:
    virtual ~master_link() = default;
    virtual wire::send_result send(const wire::worker_outgoing& message) = 0;
};

// How a stream's session ended: the master ended the run (quit), refused this worker, the
// stream broke (reconnect), a signal interrupted the worker, or it cannot run the scenario.
enum class session_end { quit, refused, broken, interrupted, failed };

struct session_options {
    std::string worker_id;
    int threads = 0;  // load threads; 0: one per core
    std::string token;
    common::micros master_timeout{std::chrono::seconds(5)};  // silence after which users stop
    common::micros stop_grace{std::chrono::seconds(5)};      // on a signal: requests may finish
    std::size_t max_unacked = 600;                           // snapshots kept for resending
};

class agent_session {
public:
    using steady = std::chrono::steady_clock;
    explicit agent_session(session_options options);

    // What this worker says first on a new stream (`name`, `machine`: who it is).
    wire::hello greeting(const std::string& name, const std::string& machine) const;
    // A new stream is open on `link`: nothing of it welcomed yet.
    void stream_opened(master_link& link);
    // The stream is over: nothing more goes on it, and the watchdog takes the counts meanwhile.
    void stream_closed();

    // Handles what arrived, in order. A failed write (broken) does not skip what follows: a quit
    // or a refusal behind it still decides how the session ended.
    std::optional<session_end> handle_all(const std::deque<wire::master_message>& batch);
    std::optional<session_end> handle(const wire::master_message& message);
    // The stream loop's turn (every few tens of ms): snapshots and heartbeats when due, the
    // master's silence, a signal's stop and a stop's end. Says how the session ended, if it did.
    std::optional<session_end> tick(bool stop_requested);

    // The watchdog's, from its own thread: the safety rule, and counts taken at each aligned
    // boundary while no stream serves (kept apart, each for its own interval).
    void stop_if_master_silent();
    void collect_offline();

    void stop_users(common::micros grace);
    int current_users() const;
    bool welcomed() const { return welcomed_; }
    bool master_silent() const;
    // A snapshot too large for the control channel was made: its counts can never be sent.
    bool unsendable() const { return unsendable_; }
    std::uint64_t requests_counted() const { return requests_; }
    std::uint64_t failures_counted() const { return failures_; }

private:
    struct offline_delta {
        std::shared_ptr<run_session> session;
        stats::stats_delta delta;
        std::int64_t taken_ms = 0;
    };

    std::shared_ptr<run_session> current_session() const;
    std::optional<session_end> on_welcome(const wire::welcome& w);
    std::optional<session_end> on_quit(const wire::quit& q);
    std::optional<session_end> open_run(const wire::welcome& w);
    session_end cannot_run(const std::string& why);
    bool send(const wire::worker_outgoing& message);
    bool send_state(wire::worker_state_kind state, const std::string& detail = {});
    wire::heartbeat heartbeat_now();
    void collect();
    std::optional<std::size_t> send_unsent(bool everything = false);
    bool send_snapshot(const outgoing_snapshot& s, bool last);
    std::optional<session_end> send_due(steady::time_point now);
    void begin_stop(common::micros grace);
    bool stop_finished();
    std::optional<session_end> finish_stop();

    session_options options_;
    master_link* link_ = nullptr;
    std::atomic<std::uint64_t> requests_{0}, failures_{0};
    process_usage usage_;

    // The run this worker serves; kept across reconnects to the same master run. The agent
    // thread replaces it, the watchdog may stop its users: each takes its own reference.
    mutable std::mutex session_mutex_;
    std::shared_ptr<run_session> session_;
    std::uint32_t session_plan_revision_ = 0;  // the welcome's revision the session was opened with
    snapshot_outbox outbox_;
    common::micros snapshot_interval_{std::chrono::seconds(1)}, heartbeat_interval_{std::chrono::seconds(1)};

    // Counts taken while no master hears this worker (cut off, reconnecting), by the watchdog at
    // the same boundaries as when connected: each covers its own interval when it is sent at
    // last, and the master places it there. The agent thread moves them into the outbox.
    std::mutex collect_mutex_;  // one taker of the engine's counts at a time
    std::vector<offline_delta> offline_;  // under collect_mutex_
    std::atomic<common::micros::rep> offline_interval_us_{1'000'000};
    steady::time_point next_offline_{};  // the watchdog's only
    std::atomic<steady::rep> last_heard_{steady::now().time_since_epoch().count()};

    std::atomic<bool> welcomed_{false};  // on this stream; read by the watchdog too
    std::atomic<bool> serving_{false};   // welcomed on a stream not yet closed: the agent takes the counts
    bool unsendable_ = false;
    bool warned_token_unchecked_ = false;  // a token given here, none checked there: said once

    // The stream loop's clocks, from the welcome.
    steady::time_point next_snapshot_{}, next_heartbeat_{}, next_progress_check_{};
    int last_reported_users_ = -1;
    bool interrupting_ = false;  // a signal: stop the users, send what they counted, say goodbye
    // A stop in progress: the users end, requests in flight may finish until the deadline,
    // and the session goes on heartbeating and sending snapshots meanwhile (a stop that
    // blocked the agent for its grace made the master take the worker for lost).
    std::optional<steady::time_point> stop_deadline_;
};

}  // namespace stampede::worker
