#include "master/worker_dispatch.hpp"

#include <climits>

#include "master/user_dispatch.hpp"

#include <algorithm>
#include <numeric>

namespace stampede::master {

int worker_share::total() const { return std::accumulate(users.begin(), users.end(), 0); }

namespace {

int total_threads(const std::vector<worker_share>& workers) {
    int t = 0;
    for (const auto& w : workers) t += std::max(1, w.threads);
    return t;
}

// Users per worker, in proportion to threads.
std::vector<int> worker_targets(const std::vector<worker_share>& workers, int users) {
    std::vector<double> threads;
    for (const auto& w : workers) threads.push_back(std::max(1, w.threads));
    return split_by_weight(users, threads);
}

// How far worker w holds more of class c than its fair share (negative: fewer).
double excess(const worker_share& w, std::size_t c, const std::vector<int>& class_totals, double threads) {
    return w.users[c] - class_totals[c] * std::max(1, w.threads) / threads;
}

}  // namespace

void rebalance(std::vector<worker_share>& workers, const std::vector<int>& class_totals) {
    if (workers.empty()) return;
    const std::size_t classes = class_totals.size();
    for (auto& w : workers) w.users.resize(classes, 0);
    const double threads = total_threads(workers);
    const auto targets = worker_targets(workers, std::accumulate(class_totals.begin(), class_totals.end(), 0));

    // 1. Classes with too many users overall shed them where the worker holds most excess.
    std::vector<int> pool(classes, 0);
    for (std::size_t c = 0; c < classes; ++c) {
        int held = 0;
        for (const auto& w : workers) held += w.users[c];
        for (; held > class_totals[c]; --held) {
            auto it = std::max_element(workers.begin(), workers.end(), [&](auto& a, auto& b) {
                return std::make_pair(a.total() - targets[&a - workers.data()], excess(a, c, class_totals, threads)) <
                       std::make_pair(b.total() - targets[&b - workers.data()], excess(b, c, class_totals, threads));
            });
            --it->users[c];
        }
        pool[c] = class_totals[c] - held;
    }
    // 2. Workers above their target give up users of the class they hold most excess of.
    for (std::size_t w = 0; w < workers.size(); ++w) {
        while (workers[w].total() > targets[w]) {
            std::size_t best = classes;
            for (std::size_t c = 0; c < classes; ++c) {
                if (workers[w].users[c] == 0) continue;
                if (best == classes || excess(workers[w], c, class_totals, threads) > excess(workers[w], best, class_totals, threads))
                    best = c;
            }
            --workers[w].users[best];
            ++pool[best];
        }
    }
    // 3. Workers below their target take the pooled class they lack most.
    for (std::size_t w = 0; w < workers.size(); ++w) {
        while (workers[w].total() < targets[w]) {
            std::size_t best = classes;
            for (std::size_t c = 0; c < classes; ++c) {
                if (pool[c] == 0) continue;
                if (best == classes || excess(workers[w], c, class_totals, threads) < excess(workers[w], best, class_totals, threads))
                    best = c;
            }
            ++workers[w].users[best];
            --pool[best];
        }
    }
}

std::vector<spawn_share> worker_spawn_plan(const std::vector<worker_share>& workers, double total_rate) {
    // A worker holding no users takes no turn; it ends any it still runs at its threads' share.
    std::vector<spawn_share> plan;
    for (const auto& w : workers)
        plan.push_back({total_rate * std::max(1, w.threads) / std::max(1, total_threads(workers)), 0.0});
    // Turns go to the workers holding users, the larger shares first (they take the extra turn).
    std::vector<std::size_t> order;
    int least = INT_MAX, most = 0, users = 0;
    for (std::size_t i = 0; i < workers.size(); ++i) {
        const int n = workers[i].total();
        if (n == 0) continue;
        order.push_back(i);
        least = std::min(least, n), most = std::max(most, n), users += n;
    }
    if (order.empty()) return plan;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return workers[a].total() > workers[b].total(); });
    const double turns = static_cast<double>(order.size());
    const bool even = most - least <= 1;
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        auto& share = plan[order[rank]];
        const double fraction = even ? 1.0 / turns : static_cast<double>(workers[order[rank]].total()) / users;
        share.rate = total_rate * fraction;
        // The first user of the worker in turn `rank` starts rank / total_rate seconds in.
        share.phase = std::min(0.999999, static_cast<double>(rank) * fraction);
    }
    return plan;
}

}  // namespace stampede::master
