#pragma once
// The master-worker protocol's messages as plain structs: what the cluster and the worker
// agent read and write. Only the wire (proto/) turns them into protobuf and back
// (message_codec), so nothing above it sees a generated type. Field meanings are the
// protocol's: proto/stampede/v1/cluster.proto says what each one is.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "scenario/run_plan.hpp"
#include "stats/stats_delta.hpp"

namespace stampede::v1 {
class Snapshot;
}

namespace stampede::wire {

// ---------------------------------------------------------------- worker to master

struct hello {
    std::uint32_t protocol_version = 0;
    std::string stampede_version, worker_id, name, machine;
    std::uint32_t threads = 0;
    std::string token;
    std::string run_id;
    std::uint32_t master_timeout_ms = 0;
};

struct heartbeat {
    double cpu_percent = 0;
    std::uint64_t rss_bytes = 0;
    std::uint32_t users = 0;
    std::uint64_t last_sequence = 0;
    std::uint64_t requests_counted = 0;
    std::uint64_t merged_intervals = 0;
};

enum class worker_state_kind { unknown, ready, stopped, failed };

struct state_change {
    worker_state_kind state = worker_state_kind::unknown;
    std::uint32_t raw_state = 0;  // the number on the wire, for a state this end does not know
    std::uint64_t last_sequence = 0;
    std::string detail;
};

struct goodbye {
    std::string reason;
};

// A snapshot as a worker sends it: its interval's counts, encoded as they go.
struct outgoing_snapshot {
    const stats::stats_delta* delta = nullptr;
    std::uint64_t sequence = 0;
    std::int64_t covered_until_ms = 0;
    std::optional<heartbeat> with_heartbeat;
};

// Whether a message went to the master.
struct send_result {
    bool ok = false;
    // Set when the message is larger than the control channel carries: not sent, and it never
    // could be (the master would refuse it on every attempt).
    std::size_t oversized_bytes = 0;
};

// A snapshot as the master receives it: read in place, valid while the message it came in is
// (the stream's handler call). Its counts are merged by merge_snapshot (snapshot_codec), which
// validates them whole first; a copy would cost the master a second pass per snapshot.
class received_snapshot {
public:
    explicit received_snapshot(const v1::Snapshot& message) : message_(&message) {}
    std::uint64_t sequence() const;
    std::int64_t covered_until_ms() const;
    std::optional<heartbeat> carried_heartbeat() const;
    const v1::Snapshot& message() const { return *message_; }

private:
    const v1::Snapshot* message_;
};

// What a worker's stream delivers to the master after the hello; `unknown` is a message of no
// kind this end knows (a newer peer's), which is ignored and said.
struct unknown_message {};
using worker_message = std::variant<hello, heartbeat, received_snapshot, state_change, goodbye, unknown_message>;

// ---------------------------------------------------------------- master to worker

struct welcome {
    std::string run_id;
    std::shared_ptr<const lang::run_plan> plan;  // shared by every worker's welcome
    std::uint64_t acked_sequence = 0;
    std::uint32_t snapshot_interval_ms = 0;
    std::uint32_t heartbeat_interval_ms = 0;
    std::uint32_t master_timeout_ms = 0;
    std::uint32_t plan_revision = 0;
    bool token_required = false;
};

struct assignment {
    std::vector<int> users_per_class;
    double spawn_rate = 0;
    double spawn_phase = 0;
    std::uint32_t first_thread = 0;
    std::uint32_t total_threads = 0;
    std::uint64_t arrivals_elapsed_us = 0;
};

struct stop {
    std::uint32_t grace_ms = 0;
};
struct quit {
    std::string reason;
};
struct ack {
    std::uint64_t sequence = 0;
};
struct refusal {
    std::string reason;
};
struct ping {};

using master_message = std::variant<welcome, assignment, stop, quit, ack, refusal, ping, unknown_message>;

}  // namespace stampede::wire
