#include "master/worker_liveness.hpp"

#include <catch2/catch.hpp>

using namespace stampede::master;
using namespace std::chrono_literals;

namespace {

const auto t0 = wall_clock::time_point(std::chrono::seconds(1'800'000'000));

// A running worker whose every count is in, last heard just now.
worker_entry heard(wall_clock::time_point now) {
    worker_entry w;
    w.state = worker_state::running;
    w.last_covered_wall = now - 300ms;
    w.last_seen_wall = now - 100ms;
    w.reported_sequence = w.applied_sequence = 7;
    return w;
}

}  // namespace

TEST_CASE("how long a silent worker is waited for, and how often it is spoken to, by its master timeout", "[liveness]") {
    const liveness_config c;  // 1 s heartbeats and snapshots, 3 s heartbeat timeout
    CHECK(lost_after_for(c, 5000) == 6500ms);     // its timeout, an interval, half a second
    CHECK(lost_after_for(c, 0) == 3s);            // one that says none: the heartbeat timeout
    CHECK(lost_after_for(c, 600'000) == 31500ms);  // not held back past 30 s
    CHECK(lost_after_for({1s, 10s, 1s}, 2000) == 10s);
    CHECK(quiet_limit_for(c, 5000) == 2500ms);  // half its timeout, at most 2.5 s
    CHECK(quiet_limit_for(c, 1000) == 500ms);
    CHECK(quiet_limit_for(c, 100) == 500ms);  // at least two ticks of the loop
    CHECK(quiet_limit_for(c, 0) == 500ms);
}

TEST_CASE("counts in flight: none when all is in, from where it was last all in when overdue, silent or lost",
          "[liveness]") {
    const auto due = t0;
    const auto now = t0 + 400ms;
    CHECK_FALSE(counts_in_flight(heard(now), due, 1s, now));

    auto overdue = heard(now);
    overdue.last_covered_wall = due - 1s;  // its snapshot for this boundary has not come
    overdue.reported_sequence = 8;         // and it said it made one
    const auto span = counts_in_flight(overdue, due, 1s, now);
    REQUIRE(span);
    CHECK(span->first == due - 1s);
    CHECK(span->second == now);

    auto idle = overdue;
    idle.reported_sequence = 7;       // made nothing since, and said so a moment ago: it owes nothing
    idle.all_in_wall = now - 200ms;
    CHECK_FALSE(counts_in_flight(idle, due, 1s, now));

    auto silent = heard(now);
    silent.last_seen_wall = due - 2s;
    silent.all_in_wall = due - 1500ms;  // the last time it said all it made was in
    silent.last_covered_wall = due - 3s;
    const auto quiet = counts_in_flight(silent, due, 1s, now);
    REQUIRE(quiet);
    CHECK(quiet->first == due - 1500ms);

    auto back = silent;  // back from a partition, its resends not yet in: still owed
    back.state = worker_state::joining;
    back.last_seen_wall = now;
    REQUIRE(counts_in_flight(back, due, 1s, now));
    back.state = worker_state::stopped;  // a stopped worker's last counts are the stop's business
    CHECK_FALSE(counts_in_flight(back, due, 1s, now));

    auto lost = heard(now);
    lost.state = worker_state::lost;
    lost.last_covered_wall = due - 4s;
    lost.master_timeout = 2s;
    lost.last_sent_wall = due - 5s;  // its own timeout stopped it 3 s before the boundary
    const auto gone = counts_in_flight(lost, due, 1s, now);
    REQUIRE(gone);
    CHECK(gone->first == due - 4s);
    CHECK(gone->second == due - 3s);
    lost.last_covered_wall = due - 2s;  // everything up to its stop arrived
    CHECK_FALSE(counts_in_flight(lost, due, 1s, now));
}
