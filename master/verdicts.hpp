#pragma once
// The scenario's thresholds judged over the merged result: each a verdict with what was
// measured, over the whole run or the endpoints it names. A threshold over nothing (an
// endpoint that saw no request, checks that never ran) has no data, and fails.
#include <vector>

#include "master/baseline.hpp"
#include "master/run_result.hpp"
#include "scenario/threshold.hpp"

namespace stampede::master {

// `base`: the baseline for thresholds relative to one ("p95 < 3x baseline"); without it they
// fail, saying so.
std::vector<verdict> judge_thresholds(const std::vector<lang::threshold_spec>& thresholds, const run_result& result,
                                      const baseline* base = nullptr);

// Whether every verdict passed (true when there are none).
bool all_passed(const std::vector<verdict>& verdicts);

}  // namespace stampede::master
