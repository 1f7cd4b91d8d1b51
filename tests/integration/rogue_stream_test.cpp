// A rogue worker that breaks the stream's contract rather than a snapshot's: messages out of
// order, hellos the master cannot take, messages it does not know, replays, and figures about
// itself no process can have. Each case: what the master does, and that the run goes on.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "tests/integration/rogue_worker.hpp"

using namespace stampede;
using namespace stampede::testing;

namespace {

// An honest rogue that counts `requests` in one snapshot and stops when told.
void run_one_honest(lying_run& run, const std::string& name, std::uint64_t requests) {
    rogue_worker honest(run.port, name);
    REQUIRE(honest.welcomed());
    honest.ready();
    CHECK(honest.send(honest_snapshot(1, requests)));
    honest.finish(1);
}

}  // namespace

TEST_CASE("a stream that speaks before its hello is closed, and the run goes on", "[rogue]") {
    lying_run run;
    v1::WorkerMessage first;
    *first.mutable_snapshot() = honest_snapshot(1, 1000);
    rogue_worker rude(run.port, first);
    CHECK_FALSE(rude.welcomed());
    const auto status = rude.ended();
    CHECK(status.error_code() == grpc::StatusCode::ABORTED);
    run_one_honest(run, "honest", 10);
    const auto result = run.result();
    CHECK(run.code == 0);
    CHECK(result["totals"]["requests"] == 10);  // nothing of the rude stream's snapshot
    CHECK(result["workers"].size() == 1);
    CHECK(run.master->err().find("spoke before saying hello: closing") != std::string::npos);
}

TEST_CASE("a hello with no worker id, or one past 256 bytes, is refused with the reason", "[rogue]") {
    lying_run run;
    for (const auto& id : {std::string(), std::string(257, 'i')}) {
        auto hello = rogue_hello("nameless");
        hello.mutable_hello()->set_worker_id(id);
        rogue_worker refused(run.port, hello);
        REQUIRE(refused.answer().has_refusal());
        CHECK(refused.answer().refusal().reason() == "a worker id is 1 to 256 bytes");
        CHECK(refused.ended().ok());
    }
    run_one_honest(run, "honest", 10);
    const auto result = run.result();
    CHECK(run.code == 0);
    CHECK(result["workers"].size() == 1);
}

TEST_CASE("a hello whose strings are not UTF-8 ends that stream before it joins", "[rogue]") {
    lying_run run;
    auto hello = rogue_hello("bytes");
    hello.mutable_hello()->set_name("\xff\xfe name");  // a proto3 string must be UTF-8: the master cannot parse it
    rogue_worker garbled(run.port, hello);
    CHECK_FALSE(garbled.welcomed());
    CHECK_FALSE(garbled.ended().ok());
    run_one_honest(run, "honest", 10);
    const auto result = run.result();
    CHECK(run.code == 0);
    REQUIRE(result["workers"].size() == 1);
    CHECK(result["workers"][0]["name"] == "honest");
    CHECK(run.master->err().find("ended its stream before a hello this master could read") != std::string::npos);
}

TEST_CASE("a second hello, a message of no kind and a state the protocol lacks are ignored and logged", "[rogue]") {
    lying_run run;
    rogue_worker odd(run.port, "odd");
    REQUIRE(odd.welcomed());
    CHECK(odd.say(rogue_hello("someone-else", 1000)));
    CHECK(odd.say(v1::WorkerMessage()));
    v1::WorkerMessage unknown_state;
    unknown_state.mutable_state()->set_state(static_cast<v1::StateChange::State>(77));
    unknown_state.mutable_state()->set_last_sequence(1'000'000);
    CHECK(odd.say(unknown_state));
    odd.ready();
    CHECK(odd.send(honest_snapshot(1, 10)));
    odd.finish(1);
    const auto result = run.result();
    CHECK(run.code == 0);
    REQUIRE(result["workers"].size() == 1);
    CHECK(result["workers"][0]["name"] == "odd");
    CHECK(result["workers"][0]["threads"] == 1);
    CHECK(result["totals"]["requests"] == 10);
    CHECK(result["data_gaps"].empty());
    const auto log = run.master->err();
    CHECK(log.find("worker odd (rogue-host) sent a second hello on its stream: ignored") != std::string::npos);
    CHECK(log.find("worker odd (rogue-host) sent a message of no kind this master knows: ignored") != std::string::npos);
    CHECK(log.find("worker odd (rogue-host) sent state 77, which this master does not know: ignored") !=
          std::string::npos);
}

TEST_CASE("replayed snapshots count once, on the same stream and after a reconnect", "[rogue]") {
    lying_run run;
    {
        rogue_worker first(run.port, "replayer");
        REQUIRE(first.welcomed());
        first.ready();
        CHECK(first.send(honest_snapshot(1, 10)));
        CHECK(first.send(honest_snapshot(2, 20)));
        CHECK(first.send(honest_snapshot(2, 20)));
        CHECK(first.send(honest_snapshot(1, 10)));
        // The same worker comes back on a new stream (once the master has read the old one's
        // messages: what arrives on a stream it let go of is not read): the master says what
        // it already has.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        rogue_worker again(run.port, "replayer");
        REQUIRE(again.welcomed());
        CHECK(again.answer().welcome().acked_sequence() == 2);
        again.ready();
        CHECK(again.send(honest_snapshot(1, 10)));
        CHECK(again.send(honest_snapshot(2, 20)));
        CHECK(again.send(honest_snapshot(3, 5)));
        again.finish(3);
    }
    const auto result = run.result();
    CHECK(run.code == 0);
    CHECK(result["totals"]["requests"] == 35);
    CHECK(result["refused_snapshots"] == 0);
    CHECK(result["workers"].size() == 1);
    CHECK(result["data_gaps"].empty());
}

TEST_CASE("what a heartbeat says of the worker's process is bounded before it is shown", "[rogue]") {
    lying_run run;
    rogue_worker boaster(run.port, "boaster");
    REQUIRE(boaster.welcomed());
    boaster.ready();
    for (double cpu : {12.5, std::nan(""), -3.0, std::numeric_limits<double>::infinity()}) {
        v1::WorkerMessage m;
        auto* hb = m.mutable_heartbeat();
        hb->set_cpu_percent(cpu);
        hb->set_users(4'000'000'000u);
        hb->set_rss_bytes(UINT64_MAX);
        CHECK(boaster.say(m));
    }
    // Heartbeats are shown each interval: let the run take a few.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(boaster.send(honest_snapshot(1, 10)));
    boaster.finish(1);
    const auto result = run.result();
    CHECK(run.code == 0);
    REQUIRE(result["workers"].size() == 1);
    CHECK(result["workers"][0]["max_cpu_percent"] == 12.5);
    int most_users = 0;
    for (const auto& h : result["history"]) most_users = std::max(most_users, h["users"].get<int>());
    CHECK(most_users == 10'000'000);  // what it said, held to what any run may have
}
