// The cluster's pacing, liveness and stop logic through a fake worker link: no gRPC, real time
// with margins far above the cluster's own ticks (250 ms).
#include "master/cluster.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <mutex>
#include <thread>

#include "proto/protocol.hpp"
#include "proto/message_codec.hpp"
#include "stampede/v1/cluster.pb.h"

using namespace stampede;
using namespace stampede::master;
using namespace std::chrono_literals;

namespace {

class fake_link final : public worker_link {
public:
    void send(const wire::master_message& m) override {
        std::lock_guard lock(mutex_);
        sent_.push_back(m);
    }
    void close(bool run_over) override {
        std::lock_guard lock(mutex_);
        closed_ = true;
        run_over_ = run_over;
    }
    std::string peer() const override { return "fake"; }

    // Messages of type `M` sent so far.
    template <class M>
    int count() {
        std::lock_guard lock(mutex_);
        int n = 0;
        for (const auto& m : sent_) n += std::holds_alternative<M>(m);
        return n;
    }
    std::uint64_t last_ack() {
        std::lock_guard lock(mutex_);
        for (auto it = sent_.rbegin(); it != sent_.rend(); ++it)
            if (const auto* a = std::get_if<wire::ack>(&*it)) return a->sequence;
        return 0;
    }
    bool closed() {
        std::lock_guard lock(mutex_);
        return closed_;
    }

private:
    std::mutex mutex_;
    std::vector<wire::master_message> sent_;
    bool closed_ = false, run_over_ = false;
};

cluster_config config(common::micros heartbeat_timeout = 800ms) {
    cluster_config c;
    c.run_id = "r";
    c.endpoint_count = 1;
    c.class_count = 1;
    c.heartbeat_timeout = heartbeat_timeout;
    return c;
}

void hello(cluster& c, fake_link& link, const std::string& id, std::uint32_t master_timeout_ms = 5000) {
    wire::hello h;
    h.protocol_version = wire::protocol_version;
    h.stampede_version = STAMPEDE_VERSION;
    h.worker_id = h.name = id;
    h.threads = 1;
    h.master_timeout_ms = master_timeout_ms;
    c.on_hello(link, h);
}

void state(cluster& c, fake_link& link, wire::worker_state_kind s, std::uint64_t last_sequence = 0) {
    c.on_message(link, wire::state_change{s, 0, last_sequence, {}});
}

void snapshot(cluster& c, fake_link& link, std::uint64_t sequence, std::uint64_t requests) {
    stats::stats_delta d(1, 0);
    for (std::uint64_t i = 0; i < requests; ++i) d.endpoints[0].record(1000, 1, false);
    v1::WorkerMessage m;  // as the wire decodes it: read in place
    wire::encode(wire::outgoing_snapshot{&d, sequence, 0, std::nullopt}, m);
    c.on_message(link, wire::decode(m));
}

}  // namespace

TEST_CASE("acknowledgements wait for the worker's quiet limit, then come from the heartbeat tick", "[cluster]") {
    cluster c(config(10s));
    fake_link link;
    hello(c, link, "w1");  // 5 s master timeout: a word at least every 2.5 s
    REQUIRE(link.count<wire::welcome>() == 1);
    state(c, link, wire::worker_state_kind::ready);
    snapshot(c, link, 1, 3);
    CHECK(link.count<wire::ack>() == 0);  // the welcome was just sent: no hurry
    std::this_thread::sleep_for(700ms);
    snapshot(c, link, 2, 4);  // the worker stays heard, so the link stays up
    for (int i = 0; i < 40 && link.last_ack() < 2; ++i) std::this_thread::sleep_for(100ms);
    CHECK(link.last_ack() == 2);  // one cumulative acknowledgement for both
    CHECK(c.take_delta().total_requests() == 7);
}

TEST_CASE("a silent worker is marked lost and its link closed, a speaking one is not", "[cluster]") {
    cluster c(config());
    fake_link silent, speaking;
    hello(c, silent, "quiet", 0);  // no master timeout said: judged by the heartbeat timeout alone
    hello(c, speaking, "talker", 0);
    state(c, silent, wire::worker_state_kind::ready);
    state(c, speaking, wire::worker_state_kind::ready);
    c.start({2}, 10);
    for (int i = 0; i < 15; ++i) {
        std::this_thread::sleep_for(100ms);
        wire::heartbeat hb;
        hb.users = 1;
        c.on_message(speaking, hb);
    }
    CHECK(silent.closed());
    CHECK_FALSE(speaking.closed());
    run_result r;
    r.start = wall_clock::now();
    c.describe(r);
    REQUIRE(r.workers.size() == 2);
    CHECK(r.workers[0].state == "lost");
    CHECK(r.workers[1].state == "running");
    CHECK(r.workers[1].users == std::vector<int>{2});  // the lost worker's user moved
}

TEST_CASE("a worker is taken for lost only once its own master timeout has stopped its users", "[cluster]") {
    cluster c(config(800ms));  // snapshots each second
    fake_link silent;
    hello(c, silent, "quiet", 300);  // its users stop 300 ms after its master's last word
    state(c, silent, wire::worker_state_kind::ready);
    c.start({2}, 10);
    std::this_thread::sleep_for(1300ms);  // past the heartbeat timeout, not past 0.3 + 1 + 0.5 s
    CHECK_FALSE(silent.closed());
    for (int i = 0; i < 20 && !silent.closed(); ++i) std::this_thread::sleep_for(100ms);
    CHECK(silent.closed());
    run_result r;
    r.start = wall_clock::now();
    c.describe(r);
    CHECK(r.workers[0].state == "lost");
    bool said = false;
    for (const auto& e : r.events) said = said || e.detail.find("silent for 1800ms") != std::string::npos;
    CHECK(said);
}

TEST_CASE("a stop waits until each stopped worker's last snapshot is applied", "[cluster]") {
    cluster c(config());
    fake_link link;
    hello(c, link, "w1");
    state(c, link, wire::worker_state_kind::ready);
    c.start({1}, 10);
    snapshot(c, link, 1, 5);
    auto stopping = std::async(std::launch::async, [&] { c.stop(2s); });
    for (int i = 0; i < 20 && link.count<wire::stop>() == 0; ++i) std::this_thread::sleep_for(10ms);
    REQUIRE(link.count<wire::stop>() == 1);
    state(c, link, wire::worker_state_kind::stopped, 2);  // snapshot 2 is still on its way
    CHECK(stopping.wait_for(300ms) == std::future_status::timeout);
    snapshot(c, link, 2, 1);
    CHECK(stopping.wait_for(1s) == std::future_status::ready);
    CHECK(c.take_delta().total_requests() == 6);
}
