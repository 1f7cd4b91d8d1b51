#pragma once
// The run over time, column by column, for charts: one entry per history row in every array,
// for every endpoint together, each endpoint, each open-model class and each worker. Columns
// rather than rows: a long run's timeline is a few numbers per second, not a few objects.
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/result_view.hpp"
#include "report/run_result.hpp"

namespace stampede::report {

nlohmann::json timeline_json(const run_result& result, const result_view& view);
// Whether a timeline read back has every column this writes, each one number (or null) per
// row; why not, naming the column.
common::status check_timeline(const nlohmann::json& timeline);

}  // namespace stampede::report
