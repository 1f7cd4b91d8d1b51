#include "master/worker_dispatch.hpp"

#include <chrono>

#include "worker/spawn_planner.hpp"

#include <catch2/catch.hpp>

using namespace stampede::master;

namespace {
std::vector<int> column_sums(const std::vector<worker_share>& ws, std::size_t classes) {
    std::vector<int> sums(classes, 0);
    for (const auto& w : ws)
        for (std::size_t c = 0; c < classes; ++c) sums[c] += w.users[c];
    return sums;
}
int moved(const std::vector<worker_share>& before, const std::vector<worker_share>& after) {
    int n = 0;
    for (std::size_t w = 0; w < before.size(); ++w)
        for (std::size_t c = 0; c < after[w].users.size(); ++c) {
            const int was = c < before[w].users.size() ? before[w].users[c] : 0;
            n += std::abs(after[w].users[c] - was);
        }
    return n;
}
}  // namespace

TEST_CASE("users spread by threads and classes keep their totals", "[dispatch]") {
    std::vector<worker_share> ws = {{"a", 2, {}}, {"b", 1, {}}, {"c", 1, {}}};
    rebalance(ws, {60, 20});
    CHECK(column_sums(ws, 2) == std::vector<int>{60, 20});
    CHECK(ws[0].total() == 40);
    CHECK(ws[1].total() == 20);
    CHECK(ws[2].total() == 20);
    CHECK(ws[0].users == std::vector<int>{30, 10});
    const auto plan = worker_spawn_plan(ws, 10.0);  // 40, 20, 20 users: rates follow the users
    CHECK(plan[0].rate == Approx(5.0));
    CHECK(plan[1].rate == Approx(2.5));
}

TEST_CASE("small counts keep the class mix and every worker busy", "[dispatch]") {
    std::vector<worker_share> ws = {{"a", 1, {}}, {"b", 1, {}}, {"c", 1, {}}};
    rebalance(ws, {2, 1});
    CHECK(column_sums(ws, 2) == std::vector<int>{2, 1});
    for (const auto& w : ws) CHECK(w.total() == 1);
}

TEST_CASE("a lost worker's users move to the others, and only those", "[dispatch]") {
    std::vector<worker_share> ws = {{"a", 1, {}}, {"b", 1, {}}, {"c", 1, {}}};
    rebalance(ws, {30, 9});
    auto survivors = std::vector<worker_share>{ws[0], ws[2]};
    const auto before = survivors;
    const int lost = ws[1].total();
    rebalance(survivors, {30, 9});
    CHECK(column_sums(survivors, 2) == std::vector<int>{30, 9});
    CHECK(moved(before, survivors) == lost);
}

TEST_CASE("a joining worker takes its share from the others", "[dispatch]") {
    std::vector<worker_share> ws = {{"a", 1, {}}, {"b", 1, {}}};
    rebalance(ws, {20, 4});
    ws.push_back({"c", 1, {}});
    const auto before = ws;
    rebalance(ws, {20, 4});
    CHECK(column_sums(ws, 2) == std::vector<int>{20, 4});
    CHECK(ws[2].total() == 8);
    CHECK(moved(before, ws) == 16);  // 8 leave a and b, 8 arrive at c: no other shuffle
}

TEST_CASE("lowering the total removes users without shuffling", "[dispatch]") {
    std::vector<worker_share> ws = {{"a", 1, {}}, {"b", 1, {}}};
    rebalance(ws, {10, 10});
    rebalance(ws, {4, 10});
    CHECK(column_sums(ws, 2) == std::vector<int>{4, 10});
    CHECK(ws[0].total() == 7);
    CHECK(ws[1].total() == 7);
}

namespace {

// Users running at each half-second mark from 0.5 s to `seconds`, for `workers` equal workers
// ramping to `users` at `rate` as the master splits it; each worker's planner is ticked by a
// made-up clock as the engine ticks it (every 20 ms).
std::vector<int> cluster_ramp(int workers, int users, double rate, int seconds) {
    using stampede::worker::spawn_planner;
    std::vector<worker_share> ws;
    for (int i = 0; i < workers; ++i) ws.push_back({"w" + std::to_string(i), 1, {}});
    rebalance(ws, {users});
    const auto plan = worker_spawn_plan(ws, rate);
    const auto t0 = spawn_planner::clock::time_point{} + std::chrono::hours(1);
    std::vector<spawn_planner> planners;
    for (int i = 0; i < workers; ++i) {
        planners.emplace_back(1, 1);
        planners.back().assign(ws[i].users, plan[i].rate, t0, plan[i].phase);
    }
    std::vector<int> samples;
    for (int ms = 0; ms <= seconds * 1000; ms += 20) {
        for (auto& p : planners) p.tick(t0 + std::chrono::milliseconds(ms));
        if (ms % 1000 != 500) continue;
        int running = 0;
        for (auto& p : planners) running += p.users();
        samples.push_back(running);
    }
    return samples;
}

}  // namespace

TEST_CASE("the cluster ramps as one process does, whatever the number of workers", "[dispatch]") {
    // Locust's curve for -u 5 -r 0.5: one user at once, one more every 2 s.
    const std::vector<int> one_process = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (int workers : {1, 2, 3, 4, 7}) {
        INFO(workers << " workers");
        CHECK(cluster_ramp(workers, 5, 0.5, 10) == one_process);
    }
    std::vector<int> fast;
    for (int t = 0; t < 8; ++t) fast.push_back(std::min(20, 1 + static_cast<int>(3 * (t + 0.5))));
    for (int workers : {1, 3, 4, 6}) {
        INFO(workers << " workers, 20 users at 3/s");
        CHECK(cluster_ramp(workers, 20, 3.0, 8) == fast);
    }
}

TEST_CASE("a worker left without users ends the ones it runs at its threads' share of the rate", "[dispatch]") {
    std::vector<worker_share> ws = {{"a", 1, {0}}, {"b", 1, {0}}};
    const auto plan = worker_spawn_plan(ws, 10.0);  // both ramping down to nothing
    CHECK(plan[0].rate == Approx(5.0));
    CHECK(plan[1].rate == Approx(5.0));
    CHECK(plan[0].phase == 0);
}
