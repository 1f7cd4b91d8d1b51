#include "master/worker_dispatch.hpp"

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
    CHECK(worker_spawn_rate(ws, 0, 10.0) == Approx(5.0));
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
