#include "worker/load_engine.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "scenario/loader/scenario_loader.hpp"
#include "worker/user_scheduler.hpp"

using namespace stampede;
using namespace stampede::worker;
using namespace std::chrono_literals;

namespace {

// A load model that starts every assigned user at once on thread 0, and says what it was told.
class all_at_once final : public user_scheduler {
public:
    explicit all_at_once(std::atomic<int>& assigned) : assigned_(assigned) {}
    void assign(std::vector<int> users, double, clock::time_point, double) override {
        assigned_ = users.at(0);
        pending_ = users.at(0);
    }
    std::vector<spawn_action> tick(clock::time_point) override {
        std::vector<spawn_action> out;
        for (; pending_ > 0; --pending_, ++running_) out.push_back({spawn_action::kind::start, 0, 0});
        return out;
    }
    void clear() override { running_ = pending_ = 0; }
    bool done() const override { return pending_ == 0; }
    std::vector<int> users_per_class() const override { return {running_}; }
    int users() const override { return running_; }

private:
    std::atomic<int>& assigned_;
    int pending_ = 0, running_ = 0;
};

}  // namespace

TEST_CASE("the engine runs whatever load model and user kind it is given", "[engine]") {
    auto loaded = lang::load_scenario_text("host: http://127.0.0.1:9\nuser_classes:\n  - tasks: [{path: /}]\n", "s.yaml");
    REQUIRE(loaded.ok());
    std::atomic<int> assigned{0}, started{0};
    engine_options options;
    options.threads = 1;
    options.make_scheduler = [&](int classes, int threads) {
        CHECK(classes == 1);
        CHECK(threads == 1);
        return std::make_unique<all_at_once>(assigned);
    };
    options.start_user = [&](io_thread&, std::shared_ptr<const prepared_scenario>, int class_index, std::uint64_t) {
        CHECK(class_index == 0);
        ++started;  // a user that does nothing: no traffic
    };
    load_engine engine(std::move(*loaded.value), options);
    REQUIRE(engine.start().ok());
    engine.assign({7}, 1.0);
    for (int i = 0; i < 100 && started < 7; ++i) std::this_thread::sleep_for(10ms);
    CHECK(assigned == 7);
    CHECK(started == 7);
    CHECK(engine.status().users == 7);
    engine.stop(0us);
}

TEST_CASE("an open-model part from the master is taken as sent, and a malformed or vast one does no harm", "[engine]") {
    auto loaded = lang::load_scenario_text(R"(host: http://127.0.0.1:9
user_classes:
  - name: Open
    arrival_rate: {rate: 500, users: 3, max_users: 5}
    tasks: [{path: /}]
)", "s.yaml");
    REQUIRE(loaded.ok());
    auto engine_with = [&](std::atomic<int>& started) {
        engine_options options;
        options.threads = 1;
        // Users that never run: the pool fills, and every arrival finds no user free.
        options.start_user = [&](io_thread&, std::shared_ptr<const prepared_scenario>, int, std::uint64_t) { ++started; };
        return std::make_unique<load_engine>(*loaded.value, options);
    };
    auto dropped_after = [](load_engine& e, std::chrono::milliseconds wait) {
        std::this_thread::sleep_for(wait);
        return e.take_delta().classes.at(0).dropped;
    };

    std::atomic<int> started{0};
    auto taken = engine_with(started);
    REQUIRE(taken->start().ok());
    taken->assign({0}, 1.0, 0, {0, 1, common::micros(0)});  // the whole rate on this one thread
    const auto dropped = dropped_after(*taken, 400ms);
    CHECK(started == 5);                 // 3 ready, then grown to max_users as arrivals found none free
    CHECK(dropped > 100);                // about 200 in 0.4 s, none started: each one counted
    CHECK(taken->status().users == 5);

    std::atomic<int> refused_started{0};
    auto refused = engine_with(refused_started);
    REQUIRE(refused->start().ok());
    refused->assign({0}, 1.0, 0, {7, 2, common::micros(0)});  // parts this worker cannot take
    CHECK(dropped_after(*refused, 200ms) == 0);
    CHECK(refused_started == 0);

    std::atomic<int> vast_started{0};
    auto vast = engine_with(vast_started);
    REQUIRE(vast->start().ok());
    vast->assign({0}, 1.0, 0, {0, 4'000'000'000u, common::micros(INT64_MAX)});  // a sliver, impossibly far in
    std::this_thread::sleep_for(200ms);
    CHECK(vast_started == 1);  // its part of 3 users, rounded up
    vast->stop(common::micros(0));
}
