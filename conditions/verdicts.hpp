#pragma once
// The scenario's thresholds judged over the merged result: each a verdict with what was
// measured, over the whole run or the endpoints it names; a threshold judged while the run
// went (a window, abort_on_fail) by what the condition monitor saw. A threshold over nothing
// (an endpoint that saw no request, checks that never ran) has no data, and fails unless it
// says `no_data: pass`.
#include <vector>

#include "report/baseline.hpp"
#include "conditions/condition_monitor.hpp"
#include "report/baseline.hpp"
#include "report/run_result.hpp"
#include "scenario/threshold.hpp"

namespace stampede::conditions {

// `base`: the baseline for thresholds relative to one ("p95 < 3x baseline"); without it they
// fail, saying so. `monitor`: what the live thresholds saw (indexed like `thresholds`).
std::vector<report::verdict> judge_thresholds(const std::vector<lang::threshold_spec>& thresholds, const report::run_result& result,
                                      const report::baseline* base = nullptr, const condition_monitor* monitor = nullptr);


}  // namespace stampede::conditions
