#include "master/data_gaps.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace stampede::master;
using namespace std::chrono_literals;

namespace {

const wall_clock::time_point start = wall_clock::time_point{} + 1000h;
const wall_clock::time_point end = start + 20s;

worker_entry ran_fine() {
    worker_entry w;
    w.name = "w1";
    w.machine = "m";
    w.state = worker_state::quit;
    w.applied_sequence = w.reported_sequence = 10;
    w.requests = w.reported_requests = 500;
    w.last_applied_wall = start + 10s;
    w.last_seen_wall = start + 10s;
    return w;
}

}  // namespace

TEST_CASE("a worker whose every count arrived leaves no gap", "[gaps]") {
    CHECK_FALSE(data_gap_of(ran_fine(), start, end, 1s));
}

TEST_CASE("a lost worker's gap spans from what its last snapshot covers to when its own timeout stopped it", "[gaps]") {
    auto w = ran_fine();
    w.state = worker_state::lost;
    w.last_applied_wall = start + 7s;  // a resend that arrived late
    w.last_covered_wall = start + 4s;  // covering what it counted up to 4 s
    w.last_seen_wall = start + 5s;
    w.last_sent_wall = start + 5500ms;  // the master's last word to it
    w.master_timeout = 5s;             // its own rule: users stopped 5 s after that
    w.lost_after = 6500ms;
    w.lost_at = start + 11500ms;
    w.last_snapshot_requests = 50;
    const auto gap = data_gap_of(w, start, end, 1s);
    REQUIRE(gap);
    CHECK(gap->from_s == Approx(4.0));
    CHECK(gap->to_s == Approx(10.5));
    CHECK(gap->estimated_missing == 325);  // 50 a second for 6.5 s
    CHECK_FALSE(gap->fails_run);
    CHECK(gap->reason.starts_with("lost at 11.5s (silent for 6500ms)"));
    // Past the run's end, when its timeout came later: it loaded the target until then.
    w.last_sent_wall = end - 1s;
    CHECK(data_gap_of(w, start, end, 1s)->to_s == Approx(24.0));
}

TEST_CASE("a lost worker whose counts it said it made never arrived fails the run", "[gaps]") {
    auto w = ran_fine();
    w.state = worker_state::lost;
    w.reported_requests = 1600;  // its heartbeats said so; 500 arrived
    w.last_sent_wall = start + 9s;
    w.master_timeout = 5s;
    w.lost_at = start + 15s;
    const auto gap = data_gap_of(w, start, end, 1s);
    REQUIRE(gap);
    CHECK(gap->known_missing == 1100);
    CHECK(gap->fails_run);
}

TEST_CASE("counts a worker made that never arrived fail the run, exactly", "[gaps]") {
    auto unconfirmed = ran_fine();
    unconfirmed.reported_sequence = 12;
    auto gap = data_gap_of(unconfirmed, start, end, 1s);
    REQUIRE(gap);
    CHECK(gap->fails_run);
    CHECK(gap->reason == "it made 12 snapshot(s), of which 10 reached the master");

    auto short_counted = ran_fine();
    short_counted.reported_requests = 530;
    gap = data_gap_of(short_counted, start, end, 1s);
    REQUIRE(gap);
    CHECK(gap->known_missing == 30);
    CHECK(gap->reason == "it counted 530 request(s), of which 500 reached the master");

    auto refused = ran_fine();
    refused.refused = 2;
    refused.first_refusal = "more failures than requests";
    CHECK(data_gap_of(refused, start, end, 1s)->reason ==
          "2 of its snapshots were refused as malformed (the first: more failures than requests)");
}
