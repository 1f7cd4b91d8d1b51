#pragma once
// The watched series in the result document: the time axis (the first moment and the interval
// between kept ones, since the run's start), and per series its name, unit, source, its figures
// over the run and its values, null where no reading came. Written by json_reporter; read back
// (checked: every series as long as the axis, every value a number or null) by the report's
// page and by compare.
#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/watch_record.hpp"

namespace stampede::report {

// Null when the run watched nothing.
nlohmann::json watch_json(const watch_record& record);
// The record a document's "watch" holds (none watched: an empty record); why not, naming the series.
common::result<watch_record> read_watch(const nlohmann::json& watch);

}  // namespace stampede::report
