#pragma once
// Spreads users over workers: each worker gets users in proportion to its threads, every class
// keeps its exact total, and a change (a worker joins or leaves, the total moves) relocates as
// few users as possible.
#include <string>
#include <vector>

namespace stampede::master {

struct worker_share {
    std::string id;
    int threads = 1;
    std::vector<int> users;  // per user class
    int total() const;
};

// Rewrites `workers[*].users` so that column sums equal `class_totals`.
void rebalance(std::vector<worker_share>& workers, const std::vector<int>& class_totals);

// The spawn rate each worker applies: the total rate split like the users (by threads).
double worker_spawn_rate(const std::vector<worker_share>& workers, std::size_t index, double total_rate);

}  // namespace stampede::master
