#pragma once
// The master's view of its workers: who is connected, what each runs, what each has sent.
// Streams (gRPC threads) report what workers say; the run controller assigns users, takes the
// merged stats each interval and stops the run. A heartbeat thread pings workers and marks
// silent ones lost. All state sits behind one mutex: a few messages per worker per second.
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "proto/coordinator_server.hpp"
#include "proto/messages.hpp"
#include "proto/snapshot_codec.hpp"
#include "scenario/run_plan.hpp"
#include "stats/stats_delta.hpp"
#include "master/interval_intake.hpp"
#include "master/result_model.hpp"
#include "master/worker_admission.hpp"
#include "master/worker_entry.hpp"
#include "master/worker_liveness.hpp"
#include "master/worker_dispatch.hpp"

namespace stampede::master {

// How far ahead of the last applied snapshot a worker's sequence may be: it keeps at most
// 600 unacknowledged ones (agent_options::max_unacked).
inline constexpr std::uint64_t max_sequence_ahead = 1000;
// The most users a worker's heartbeat may say it runs: no run has more (the scenario's limit),
// and the cluster's sum of them stays an int.
inline constexpr std::uint32_t max_reported_users = 10'000'000;

// One worker's stream, as the cluster sees it (the wire's coordinator_server implements it).
using wire::worker_link;

struct cluster_config {
    std::string run_id;
    lang::run_plan plan;  // sent whole to every worker in its welcome
    std::string token;    // empty: no token required
    std::size_t endpoint_count = 0;
    std::size_t check_count = 0;
    std::size_t class_count = 0;
    common::micros heartbeat_interval{std::chrono::seconds(1)};
    common::micros heartbeat_timeout{std::chrono::seconds(3)};
    common::micros snapshot_interval{std::chrono::seconds(1)};
    common::micros master_timeout{std::chrono::seconds(5)};
    std::size_t max_workers = 5000;
};

// One worker as the master last heard of it: for the workers table and per-worker charts.
struct worker_sample {
    std::string id, name, machine;
    worker_state state = worker_state::joining;
    int users = 0;                               // running, as it last reported
    std::uint64_t requests = 0, failures = 0;    // applied so far
    double cpu_percent = 0;
    std::uint64_t rss_bytes = 0;
    wall_clock::time_point last_seen;
};

struct cluster_status {
    int users = 0;           // assigned to active workers
    int running_users = 0;   // as the active workers last reported
    int workers_active = 0;  // ready or running
    std::vector<worker_sample> workers;  // every worker the run has seen, in the order they joined
};

// What a tick takes: the interval's counts, the latest time they say they end, the late ones, and
// the span of counts that should be in by now but are not (a worker silent past its snapshot, or
// lost with counts made that never arrived).
struct taken_interval {
    stats::stats_delta delta;
    std::optional<wall_clock::time_point> covered_until;
    std::vector<late_counts> late;
    std::optional<time_span> in_flight;
};

class cluster final : public wire::worker_handler {
public:
    explicit cluster(cluster_config config);
    ~cluster() override;

    // From the streams.
    void on_hello(worker_link& link, const wire::hello& hello) override;
    void on_message(worker_link& link, const wire::worker_message& message) override;
    void on_disconnect(worker_link& link) override;

    // From the run controller: at least `count` workers are active and none failed.
    bool workers_ready(int count);
    // Before the start only (a start from the web UI that picks a profile or tags): the run
    // takes `plan`, whose scenario has `class_count` user classes, and every worker is welcomed
    // again with it; each is joining until it says it is ready with the new plan.
    void replan(lang::run_plan plan, std::size_t class_count);
    void start(std::vector<int> class_totals, double spawn_rate);
    stats::stats_delta take_delta();
    // The same, and the latest time the merged snapshots say their counts end (none when none said).
    stats::stats_delta take_delta(std::optional<wall_clock::time_point>& covered_until);
    // An interval's counts as the run loop takes them at a tick: what came in on time, what
    // came in for intervals already taken, and what should be in by `due` (the boundary the
    // workers took this interval's snapshots at) but is not.
    taken_interval take_interval(wall_clock::time_point due);
    // The run loop's rows end here so far: a snapshot whose counts end before (or within a fifth of
    // an interval after: workers take theirs up to a tenth apart) is late, and kept apart to be
    // placed in the row it belongs to.
    void close_interval(wall_clock::time_point row_end);
    cluster_status status();
    // Why the run cannot go on, once it cannot: a worker that cannot run the scenario before
    // the start, or every worker failed after it. OK while the run can go on.
    common::status health();
    // Stops every worker's users and waits until each has sent all it counted (or is gone).
    void stop(common::micros grace);
    void quit(const std::string& reason);
    // Waits (up to `limit`) until every worker's stream has closed, so that the quit messages
    // are delivered before the server goes away.
    void await_disconnects(common::micros limit);
    // Workers and events for the result; event times relative to `start`.
    void describe(run_result& result);

private:
    using worker = worker_entry;
    void heartbeat_loop();
    void check_liveness(std::chrono::steady_clock::time_point now);
    void forgive_own_stall(std::chrono::steady_clock::duration since_last_tick);
    void handle_snapshot(worker& w, const wire::received_snapshot& snapshot);
    common::status admit_snapshot(worker& w, const wire::received_snapshot& snapshot);
    std::optional<time_span> counts_in_flight(wall_clock::time_point due) const;
    void refuse_snapshot(worker& w, std::uint64_t sequence, const std::string& reason);
    void ignore(worker& w, const std::string& what);
    void handle_heartbeat(worker& w, const wire::heartbeat& heartbeat);
    void handle_state(worker& w, const wire::state_change& change);
    void handle_goodbye(worker& w, const wire::goodbye& bye);
    void refuse(worker_link& link, const std::string& reason);
    void welcome(worker& w, worker_link& link);
    void rebalance_locked();
    void send_ack(worker& w, std::chrono::steady_clock::time_point now);
    liveness_config liveness() const {
        return {config_.heartbeat_interval, config_.heartbeat_timeout, config_.snapshot_interval};
    }
    void event(event_kind kind, const worker& w, const std::string& detail = {});
    worker* find(worker_link& link);
    void attach(worker& w, worker_link* link);
    std::vector<worker*> active_workers();

    cluster_config config_;
    std::shared_ptr<const lang::run_plan> shared_plan_;  // the plan every welcome carries
    std::uint32_t plan_revision_ = 0;            // how often the run was re-planned before its start
    std::mutex mutex_;
    // Woken on changes of workers' states; a plain snapshot wakes it only while stopping
    // (nobody waits on snapshots before), so a thousand streams do not wake a thread each.
    std::condition_variable changed_;
    std::condition_variable shutdown_requested_;  // the heartbeat loop's sleep; only shutdown cuts it short
    std::map<std::string, std::unique_ptr<worker>> workers_;  // by worker id
    std::unordered_map<const worker_link*, worker*> by_link_;  // the stream each worker is on
    std::vector<std::string> join_order_;
    interval_intake intake_;
    std::vector<int> class_totals_;
    double spawn_rate_ = 1.0;
    std::chrono::steady_clock::time_point arrivals_origin_{};  // when the run's first assignment went out
    bool started_ = false, stopping_ = false, quitting_ = false;
    std::string failure_;
    std::uint64_t refused_snapshots_ = 0;
    std::vector<run_event> events_;
    std::thread heartbeat_;
    bool shutdown_ = false;
};

}  // namespace stampede::master
