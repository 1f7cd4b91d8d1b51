// Every message both ways through protobuf: what one end encodes, the other decodes whole.
#include "proto/message_codec.hpp"

#include <catch2/catch.hpp>
#include <climits>

#include "proto/snapshot_codec.hpp"
#include "stampede/v1/cluster.pb.h"

using namespace stampede;

namespace {

template <class M>
M worker_round_trip(const M& sent, v1::WorkerMessage& storage) {
    wire::encode(wire::worker_outgoing{sent}, storage);
    return std::get<M>(wire::decode(storage));
}

template <class M>
M master_round_trip(const M& sent) {
    v1::MasterMessage m;
    wire::encode(wire::master_message{sent}, m);
    return std::get<M>(wire::decode(m));
}

}  // namespace

TEST_CASE("a worker's hello, heartbeat, state and goodbye cross the wire whole", "[wire]") {
    v1::WorkerMessage storage;
    const wire::hello h{3, "0.1.0", "id-1", "name", "machine", 4, "token\x01", "run-9", 2500};
    const auto got = worker_round_trip(h, storage);
    CHECK(got.protocol_version == 3);
    CHECK(got.worker_id == "id-1");
    CHECK(got.name == "name");
    CHECK(got.machine == "machine");
    CHECK(got.threads == 4);
    CHECK(got.token == "token\x01");
    CHECK(got.run_id == "run-9");
    CHECK(got.master_timeout_ms == 2500);

    const wire::heartbeat hb{12.5, 1 << 20, 7, 42, 1000, 3};
    const auto beat = worker_round_trip(hb, storage);
    CHECK(beat.cpu_percent == 12.5);
    CHECK(beat.rss_bytes == 1 << 20);
    CHECK(beat.users == 7);
    CHECK(beat.last_sequence == 42);
    CHECK(beat.requests_counted == 1000);
    CHECK(beat.merged_intervals == 3);

    for (auto kind : {wire::worker_state_kind::ready, wire::worker_state_kind::stopped, wire::worker_state_kind::failed}) {
        const auto s = worker_round_trip(wire::state_change{kind, 0, 9, "why"}, storage);
        CHECK(s.state == kind);
        CHECK(s.last_sequence == 9);
        CHECK(s.detail == "why");
    }
    CHECK(worker_round_trip(wire::goodbye{"bye"}, storage).reason == "bye");
}

TEST_CASE("a state of no kind this end knows is kept by its number, an empty message is unknown", "[wire]") {
    v1::WorkerMessage m;
    m.mutable_state()->set_state(static_cast<v1::StateChange::State>(77));
    const auto s = std::get<wire::state_change>(wire::decode(m));
    CHECK(s.state == wire::worker_state_kind::unknown);
    CHECK(s.raw_state == 77);
    CHECK(std::holds_alternative<wire::unknown_message>(wire::decode(v1::WorkerMessage{})));
    CHECK(std::holds_alternative<wire::unknown_message>(wire::decode(v1::MasterMessage{})));
}

TEST_CASE("a snapshot is read where it arrived: its sequence, its span's end, the heartbeat it carries, its counts",
          "[wire]") {
    stats::stats_delta d(2, 0);
    d.endpoints[1].record(1500, 10, false);
    d.endpoints[1].record(2500, 20, true);
    v1::WorkerMessage storage;
    wire::encode(wire::outgoing_snapshot{&d, 5, 1'800'000'000'123, wire::heartbeat{1, 2, 3, 5, 2, 0}}, storage);
    const auto got = std::get<wire::received_snapshot>(wire::decode(storage));
    CHECK(got.sequence() == 5);
    CHECK(got.covered_until_ms() == 1'800'000'000'123);
    REQUIRE(got.carried_heartbeat());
    CHECK(got.carried_heartbeat()->users == 3);
    stats::stats_delta into(2, 0);
    REQUIRE(wire::merge_snapshot(got.message(), 2, into));
    CHECK(into.endpoints[1].requests == 2);
    CHECK(into.endpoints[1].failures == 1);

    wire::encode(wire::outgoing_snapshot{&d, 6, 0, std::nullopt}, storage);
    CHECK_FALSE(std::get<wire::received_snapshot>(wire::decode(storage)).carried_heartbeat());
}

TEST_CASE("the master's welcome, assignment, stop, quit, ack and refusal cross the wire whole", "[wire]") {
    auto plan = std::make_shared<lang::run_plan>();
    plan->scenario_path = "s.yaml";
    plan->scenario_yaml = "host: x";
    plan->files["a.csv"] = "id\n1\n";
    const auto w = master_round_trip(wire::welcome{"run-1", plan, 17, 1000, 500, 5000, 2, true});
    CHECK(w.run_id == "run-1");
    REQUIRE(w.plan);
    CHECK(w.plan->scenario_yaml == "host: x");
    CHECK(w.plan->files.at("a.csv") == "id\n1\n");
    CHECK(w.acked_sequence == 17);
    CHECK(w.snapshot_interval_ms == 1000);
    CHECK(w.heartbeat_interval_ms == 500);
    CHECK(w.master_timeout_ms == 5000);
    CHECK(w.plan_revision == 2);
    CHECK(w.token_required);

    const auto a = master_round_trip(wire::assignment{{3, 0, 5}, 2.5, 0.25, 4, 12, 999});
    CHECK(a.users_per_class == std::vector<int>{3, 0, 5});
    CHECK(a.spawn_rate == 2.5);
    CHECK(a.spawn_phase == 0.25);
    CHECK(a.first_thread == 4);
    CHECK(a.total_threads == 12);
    CHECK(a.arrivals_elapsed_us == 999);

    CHECK(master_round_trip(wire::stop{250}).grace_ms == 250);
    CHECK(master_round_trip(wire::quit{"done"}).reason == "done");
    CHECK(master_round_trip(wire::ack{8}).sequence == 8);
    CHECK(master_round_trip(wire::refusal{"wrong token"}).reason == "wrong token");
    v1::MasterMessage ping;
    wire::encode(wire::master_message{wire::ping{}}, ping);
    CHECK(std::holds_alternative<wire::ping>(wire::decode(ping)));
}

TEST_CASE("an assignment's count past what an int holds is held at the largest, never negative", "[wire]") {
    v1::MasterMessage m;
    m.mutable_assignment()->add_users_per_class(UINT32_MAX);
    CHECK(std::get<wire::assignment>(wire::decode(m)).users_per_class == std::vector<int>{INT_MAX});
}
