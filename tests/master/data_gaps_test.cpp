#include "master/data_gaps.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace stampede::master;
using namespace std::chrono_literals;

namespace {

const wall_clock::time_point start = wall_clock::time_point{} + 1000h;

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
    CHECK_FALSE(data_gap_of(ran_fine(), start, 1s, 3s));
}

TEST_CASE("a lost worker's gap spans its silence, estimated at its last rate", "[gaps]") {
    auto w = ran_fine();
    w.state = worker_state::lost;
    w.last_applied_wall = start + 4s;
    w.last_seen_wall = start + 5s;
    w.lost_at = start + 8s;
    w.last_snapshot_requests = 50;
    const auto gap = data_gap_of(w, start, 1s, 3s);
    REQUIRE(gap);
    CHECK(gap->from_s == Approx(4.0));
    CHECK(gap->to_s == Approx(5.0));
    CHECK(gap->estimated_missing == 100);  // 50 a second, over its silence and the interval it was in
    CHECK_FALSE(gap->fails_run);
    CHECK(gap->reason.starts_with("lost at 8.0s (silent for 3s)"));
}

TEST_CASE("counts a worker made that never arrived fail the run, exactly", "[gaps]") {
    auto unconfirmed = ran_fine();
    unconfirmed.reported_sequence = 12;
    auto gap = data_gap_of(unconfirmed, start, 1s, 3s);
    REQUIRE(gap);
    CHECK(gap->fails_run);
    CHECK(gap->reason == "it made 12 snapshot(s), of which 10 reached the master");

    auto short_counted = ran_fine();
    short_counted.reported_requests = 530;
    gap = data_gap_of(short_counted, start, 1s, 3s);
    REQUIRE(gap);
    CHECK(gap->known_missing == 30);
    CHECK(gap->reason == "it counted 530 request(s), of which 500 reached the master");

    auto refused = ran_fine();
    refused.refused = 2;
    refused.first_refusal = "more failures than requests";
    CHECK(data_gap_of(refused, start, 1s, 3s)->reason ==
          "2 of its snapshots were refused as malformed (the first: more failures than requests)");
}
