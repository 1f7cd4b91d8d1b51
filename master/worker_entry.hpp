#pragma once
// The master's record of one worker: who it is, the stream it is on, what it was assigned,
// what it has sent and said of itself. Kept by the cluster behind its mutex.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "master/result_model.hpp"

namespace stampede::wire {
class worker_link;
}

namespace stampede::master {

enum class worker_state { joining, ready, running, stopped, lost, quit, failed };
std::string_view state_name(worker_state s);

struct worker_entry {
    std::string id, name, machine;  // machine: the host the worker runs on
    int threads = 1;
    wire::worker_link* link = nullptr;
    worker_state state = worker_state::joining;
    std::chrono::steady_clock::time_point last_seen = std::chrono::steady_clock::now();
    wall_clock::time_point last_seen_wall = wall_clock::now();
    std::uint64_t applied_sequence = 0;
    // What the worker says it has counted (heartbeats), and when its last snapshot was applied.
    std::uint64_t reported_sequence = 0, reported_requests = 0;
    std::optional<wall_clock::time_point> last_applied_wall;
    std::optional<wall_clock::time_point> last_covered_wall;  // the end of its last applied snapshot's span
    // When it last said it had made no snapshot the master lacks: nothing of it was in flight then.
    std::optional<wall_clock::time_point> all_in_wall;
    std::uint64_t last_snapshot_requests = 0;
    std::uint64_t refused = 0;
    std::string first_refusal;        // why its first refused snapshot was refused
    std::uint64_t ignored_messages = 0;  // messages it may not send, or this master does not know
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
    // Any message counts: a worker stops its users after a long silence from its master.
    std::chrono::steady_clock::time_point last_sent{};
    wall_clock::time_point last_sent_wall{};
    std::chrono::steady_clock::duration quiet_limit{};  // the longest it may go without a word from us
    // Its own rule, from its hello: it stops its users after this long without a word from us.
    std::chrono::steady_clock::duration master_timeout{};
    // Silent this long, it is taken for lost and its users given to others: by then its own
    // master timeout has stopped them, so no user runs twice.
    std::chrono::steady_clock::duration lost_after{};
    bool ack_owed = false;  // snapshots applied since the last acknowledgement
    std::uint64_t acked_sequence = 0;  // the last acknowledged
    // How its link held up during the run: for the result's workers and the console.
    link_record link_history;

    bool active() const { return state == worker_state::ready || state == worker_state::running; }
    std::string label() const { return name + " (" + machine + ")"; }
};

}  // namespace stampede::master
