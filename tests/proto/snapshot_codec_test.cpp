#include "proto/snapshot_codec.hpp"

#include <catch2/catch.hpp>

#include "stampede/v1/cluster.pb.h"

using namespace stampede;
using namespace stampede::stats;
using namespace stampede::wire;

namespace {
stats_delta sample() {
    stats_delta d(3);
    for (int i = 0; i < 50; ++i) d.endpoints[0].record(1000 + i, 10, i % 10 == 0);
    d.endpoints[2].record(7, 1, false);
    d.add_error({0, error_kind::http_status, 503}, "HTTP 503 (expected 200)", 5);
    d.cancelled = 2;
    return d;
}
}  // namespace

TEST_CASE("a snapshot round-trips a stats delta exactly", "[snapshot]") {
    const auto d = sample();
    v1::Snapshot wire;
    encode_snapshot(d, 42, wire);
    CHECK(wire.sequence() == 42);
    CHECK(wire.endpoints_size() == 2);  // the empty endpoint is not sent
    stats_delta back(3);
    REQUIRE(merge_snapshot(wire, 3, back).ok());
    CHECK(back.endpoints[0].requests == 50);
    CHECK(back.endpoints[0].failures == 5);
    CHECK(back.endpoints[0].latency == d.endpoints[0].latency);
    CHECK(back.endpoints[2].latency == d.endpoints[2].latency);
    CHECK(back.errors.at({0, error_kind::http_status, 503}).count == 5);
    CHECK(back.cancelled == 2);
    CHECK_FALSE(back.empty());
    CHECK(stats_delta(3).empty());
}

TEST_CASE("malformed snapshots are refused and change nothing", "[snapshot]") {
    v1::Snapshot good;
    encode_snapshot(sample(), 1, good);
    // Merged into totals that already hold data (with a different min and max), a refused
    // snapshot must leave every count, histogram, min and max as it was.
    stats_delta before(3);
    before.endpoints[0].record(5, 1, false);
    before.endpoints[2].record(900'000, 1, false);
    auto refused = [&](auto damage) {
        v1::Snapshot bad = good;
        damage(bad);
        stats_delta into = before;
        const auto merged = merge_snapshot(bad, 3, into);
        REQUIRE_FALSE(merged);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(into.endpoints[i].requests == before.endpoints[i].requests);
            CHECK(into.endpoints[i].latency == before.endpoints[i].latency);
        }
        CHECK(into.errors.empty());
        return merged.error();
    };
    CHECK(refused([](v1::Snapshot& s) { s.mutable_endpoints(0)->set_endpoint(9); }) ==
          "endpoint 9 is outside the scenario's 3 endpoints");
    CHECK(refused([](v1::Snapshot& s) { s.mutable_endpoints(1)->set_failures(99); }) == "more failures than requests");
    CHECK(refused([](v1::Snapshot& s) { s.mutable_endpoints(0)->set_requests(51); }) ==
          "histogram count differs from the request count");
    // The second endpoint is damaged after the first was merged: the first is taken back.
    CHECK(refused([](v1::Snapshot& s) { s.mutable_endpoints(1)->set_histogram("\x01garbage"); }).rfind("histogram:", 0) == 0);
    CHECK(refused([](v1::Snapshot& s) { s.mutable_endpoints(1)->set_requests(2); }) ==
          "histogram count differs from the request count");
    CHECK(refused([](v1::Snapshot& s) {
              auto h = s.endpoints(1).histogram();
              h.back() = static_cast<char>(0x7f);  // an empty run far past the last bucket
              s.mutable_endpoints(1)->set_histogram(h);
          }).rfind("histogram:", 0) == 0);
    CHECK(refused([](v1::Snapshot& s) { s.mutable_errors(0)->set_kind(77); }) == "unknown error kind");
    CHECK(refused([](v1::Snapshot& s) { s.mutable_errors(0)->set_endpoint(5); }) == "error for an unknown endpoint");
}

TEST_CASE("the open model's counts and uncorrected latencies round-trip exactly", "[snapshot]") {
    stats_delta d(2, 0, 3);
    for (int i = 0; i < 20; ++i) {
        d.endpoints[1].record(5000 + i, 0, false);     // corrected: from the intended start
        d.endpoints[1].uncorrected.record(1000 + i);   // from the moment sent
    }
    d.classes[2].iterations = 20;
    d.classes[2].dropped = 7;
    for (int i = 0; i < 20; ++i) d.classes[2].start_lag.record(40 + i);
    v1::Snapshot wire;
    encode_snapshot(d, 1, wire);
    REQUIRE(wire.classes_size() == 1);  // classes with nothing counted are not sent
    stats_delta back(2, 0, 3);
    REQUIRE(merge_snapshot(wire, 2, back).ok());
    CHECK(back.endpoints[1].uncorrected == d.endpoints[1].uncorrected);
    CHECK(back.endpoints[1].latency == d.endpoints[1].latency);
    CHECK(back.classes[2].iterations == 20);
    CHECK(back.classes[2].dropped == 7);
    CHECK(back.classes[2].start_lag == d.classes[2].start_lag);
    CHECK(back.classes[0].empty());
    CHECK_FALSE(back.empty());

    auto refused = [&](auto damage, const std::string& why) {
        v1::Snapshot bad = wire;
        damage(bad);
        stats_delta into(2, 0, 3);
        auto merged = merge_snapshot(bad, 2, into);
        INFO(why);
        REQUIRE_FALSE(merged.ok());
        CHECK(merged.error().find(why) != std::string::npos);
        CHECK(into.empty());  // nothing merged, not even the endpoint before the damage
        CHECK(into.endpoints[1].latency.empty());
    };
    refused([](v1::Snapshot& s) { s.mutable_classes(0)->set_user_class(3); }, "outside the scenario's classes");
    refused([](v1::Snapshot& s) { *s.add_classes() = s.classes(0); }, "appears twice");
    refused([](v1::Snapshot& s) { s.mutable_classes(0)->set_dropped(std::uint64_t{1} << 50); }, "iteration count");
    refused([](v1::Snapshot& s) { s.mutable_classes(0)->set_iterations(21); }, "");  // the lag holds 20 values
    refused([](v1::Snapshot& s) { s.mutable_endpoints(0)->set_uncorrected_histogram("\x01\x02"); }, "");
}

TEST_CASE("connection phases travel beside latency, one value per connection, and are bounded", "[snapshot]") {
    auto d = sample();
    d.endpoints[0].connect.record(120);
    d.endpoints[0].connect.record(180);
    d.endpoints[0].tls_handshake.record(2'000);
    v1::Snapshot wire;
    encode_snapshot(d, 1, wire);
    stats_delta back(3);
    REQUIRE(merge_snapshot(wire, 3, back).ok());
    CHECK(back.endpoints[0].connect == d.endpoints[0].connect);
    CHECK(back.endpoints[0].tls_handshake == d.endpoints[0].tls_handshake);
    CHECK(back.endpoints[2].connect.empty());

    // More connections than any worker makes in an interval: refused, and nothing merged.
    histogram huge;
    huge.record(100, max_count_per_snapshot + 1);
    wire.mutable_endpoints(0)->set_connect_histogram(encode_histogram(huge));
    stats_delta into(3);
    const auto refused = merge_snapshot(wire, 3, into);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().find("connection-phase histogram") != std::string::npos);
    CHECK(into.endpoints[0].requests == 0);
    CHECK(into.endpoints[0].latency.empty());
    CHECK(into.endpoints[0].connect.empty());
}

TEST_CASE("a connection made in an interval whose request ends in the next is sent, not dropped", "[snapshot]") {
    stats_delta d(3);
    d.endpoints[1].connect.record(250);
    d.endpoints[1].tls_handshake.record(1'900);
    CHECK_FALSE(d.empty());
    v1::Snapshot wire;
    encode_snapshot(d, 7, wire);
    REQUIRE(wire.endpoints_size() == 1);
    stats_delta back(3);
    REQUIRE(merge_snapshot(wire, 3, back).ok());
    CHECK(back.endpoints[1].requests == 0);
    CHECK(back.endpoints[1].connect == d.endpoints[1].connect);
    CHECK(back.endpoints[1].tls_handshake == d.endpoints[1].tls_handshake);
}
