#include "master/worker_liveness.hpp"

#include <algorithm>

namespace stampede::master {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

steady::duration pacing_tick(const liveness_config& c) {
    return std::min<steady::duration>(c.heartbeat_interval, 250ms);
}

// A worker stops its users after its master timeout without a word from the master (the
// hello says how long): speak at least every half of it, so that a word delayed by as much
// again still arrives in time; and at least every 2.5 s, which keeps the worker's resend
// buffer short. A worker that does not say gets a word each half heartbeat interval.
steady::duration quiet_limit_for(const liveness_config& c, std::uint32_t master_timeout_ms) {
    if (master_timeout_ms == 0) return c.heartbeat_interval / 2;
    const auto limit = std::chrono::milliseconds(master_timeout_ms) / 2;
    return std::clamp<steady::duration>(limit, 2 * pacing_tick(c), 2500ms);
}

// A worker hears its master at least every quiet limit and stops its users after its master
// timeout of silence; the master last heard it at most a snapshot interval before the link
// broke. Taken for lost only after its timeout, that interval and a margin for the watchdog and
// the clocks, it has stopped its users before they are given to others: none runs twice. A
// worker that does not say its timeout is judged by --heartbeat-timeout alone; one that says more
// than 30 s is not waited for past that (its users may then run twice for the rest).
steady::duration lost_after_for(const liveness_config& c, std::uint32_t master_timeout_ms) {
    const steady::duration heartbeat = c.heartbeat_timeout;
    if (master_timeout_ms == 0) return heartbeat;
    // A worker's users are not held back longer than this for it, whatever timeout it says.
    constexpr std::uint32_t longest_wait_ms = 30'000;
    return std::max(heartbeat, steady::duration(std::chrono::milliseconds(std::min(master_timeout_ms, longest_wait_ms))) +
                                   steady::duration(c.snapshot_interval) + 500ms);
}

bool speak_due(const liveness_config& c, const worker_entry& w, steady::time_point at) {
    return at - w.last_sent + pacing_tick(c) >= w.quiet_limit;
}

// A connected worker whose snapshot for the interval is overdue, or of which nothing has covered
// the last interval (from where what it made was last all in, until now); or a lost one that
// counted after its last snapshot that arrived (until its own master timeout stopped its users).
std::optional<time_span> counts_in_flight(const worker_entry& w, wall_clock::time_point due, common::micros interval,
                                          wall_clock::time_point now) {
    // Everything it made had arrived by here (its counts end there, or it said it had made no
    // more); nothing made, nothing due.
    auto in = w.last_covered_wall;
    if (w.all_in_wall && (!in || *w.all_in_wall > *in)) in = w.all_in_wall;
    if (!in) return std::nullopt;
    std::optional<wall_clock::time_point> until;
    if (w.state == worker_state::running || w.state == worker_state::ready || w.state == worker_state::joining) {
        // A snapshot it said it made is late; or nothing of its has covered the last interval (a
        // worker cut off, or back and not yet resent: an idle one says all is in each second).
        const bool overdue = w.reported_sequence > w.applied_sequence &&
                             (!w.last_covered_wall || *w.last_covered_wall < due - interval / 2);
        if (overdue || *in < due - interval) until = now;
    } else if (w.state == worker_state::lost && w.master_timeout.count() > 0 && w.last_sent_wall != wall_clock::time_point{}) {
        until = std::min(now, w.last_sent_wall + std::chrono::duration_cast<wall_clock::duration>(w.master_timeout));
    }
    if (!until || *until <= *in) return std::nullopt;
    return time_span{*in, *until};
}

}  // namespace stampede::master
