#pragma once
// How many users of each class to run for a total: fixed counts first (in file order), the
// rest split by weight with the largest-remainder method, so small totals keep the mix. An
// open-model class (arrival_rate) takes none: its users come from its own pool.
#include <vector>

#include "scenario/scenario.hpp"

namespace stampede::master {

// Splits `total` in proportion to `weights` by the largest-remainder method: the parts sum to
// `total` exactly, and ties go to the earlier weight.
std::vector<int> split_by_weight(int total, const std::vector<double>& weights);

std::vector<int> users_per_class(const std::vector<lang::user_class_spec>& classes, int total);

}  // namespace stampede::master
