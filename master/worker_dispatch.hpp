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

// How one worker ramps: its rate, and how far into its first spawn period it starts (0: its
// first user at once; 0.5: after half a period).
struct spawn_share {
    double rate = 0;
    double phase = 0;
};

// Splits a spawn rate so that the cluster ramps as one process would: its users start one at
// a time at the total rate (the first at once), taken by the workers in turn. When every
// worker holds the same number of users, or one more, that is exact: each runs at the rate
// divided by the workers holding users, offset by its turn. Otherwise (threads differ) each
// worker's rate follows its users, so all finish together, and first users still interleave.
std::vector<spawn_share> worker_spawn_plan(const std::vector<worker_share>& workers, double total_rate);

}  // namespace stampede::master
