#include "master/interval_intake.hpp"

#include <catch2/catch.hpp>

#include <deque>

#include "proto/message_codec.hpp"
#include "stampede/v1/cluster.pb.h"

using namespace stampede;
using namespace stampede::master;
using namespace std::chrono_literals;

namespace {

const auto t0 = wall_clock::time_point(std::chrono::seconds(1'800'000'000));

// A received snapshot is read in place: the messages stay here while the tests read them.
std::deque<v1::WorkerMessage> messages;

wire::received_snapshot snapshot_of(std::uint64_t requests, wall_clock::time_point covered_until) {
    stats::stats_delta d(1, 0);
    for (std::uint64_t i = 0; i < requests; ++i) d.endpoints[0].record(1000, 1, false);
    const auto covered_ms = std::chrono::duration_cast<std::chrono::milliseconds>(covered_until.time_since_epoch()).count();
    wire::encode(wire::outgoing_snapshot{&d, 1, covered_ms, std::nullopt}, messages.emplace_back());
    return std::get<wire::received_snapshot>(wire::decode(messages.back()));
}

interval_intake intake() { return interval_intake(1, 0, 0, 1s); }

}  // namespace

TEST_CASE("snapshots on time go to the interval in progress, which says where its counts end", "[intake]") {
    auto in = intake();
    REQUIRE(in.admit("a", snapshot_of(3, t0 + 50ms), wire::no_limit, t0 + 100ms));
    REQUIRE(in.admit("b", snapshot_of(4, t0 + 80ms), wire::no_limit, t0 + 120ms));
    std::optional<wall_clock::time_point> covered;
    const auto delta = in.take(covered);
    CHECK(delta.total_requests() == 7);
    CHECK(covered == t0 + 80ms);
    CHECK(in.take(covered).total_requests() == 0);
    CHECK_FALSE(covered.has_value());
}

TEST_CASE("a snapshot whose counts end in a row already made is kept apart, with its worker and its end", "[intake]") {
    auto in = intake();
    in.close(t0 + 50ms);                                                        // a row ended there
    REQUIRE(in.admit("late", snapshot_of(5, t0 - 950ms), wire::no_limit, t0 + 3s));  // the row before it
    REQUIRE(in.admit("near", snapshot_of(2, t0 + 200ms), wire::no_limit, t0 + 3s));  // within a fifth after
    REQUIRE(in.admit("next", snapshot_of(1, t0 + 300ms), wire::no_limit, t0 + 3s));  // the next row's
    std::optional<wall_clock::time_point> covered;
    CHECK(in.take(covered).total_requests() == 1);
    CHECK(covered == t0 + 300ms);
    const auto late = in.take_late();
    REQUIRE(late.size() == 2);
    CHECK(late[0].worker_id == "late");
    CHECK(late[0].covered_until == t0 - 950ms);
    CHECK(late[0].delta.total_requests() == 5);
    CHECK(late[1].worker_id == "near");
    CHECK(in.take_late().empty());
}

TEST_CASE("a snapshot past its allowance counts nothing, and a time ahead of the master's clock is read as now", "[intake]") {
    auto in = intake();
    CHECK_FALSE(in.admit("a", snapshot_of(3, t0), wire::snapshot_counts{2, 2, UINT64_MAX, UINT64_MAX}, t0));
    std::optional<wall_clock::time_point> covered;
    CHECK(in.take(covered).total_requests() == 0);
    const auto admitted = in.admit("b", snapshot_of(1, t0 + 10s), wire::no_limit, t0);
    REQUIRE(admitted);
    CHECK(admitted->covered_until == t0);
    CHECK(admitted->counts.requests == 1);
}
