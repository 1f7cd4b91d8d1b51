#pragma once
// The result model is the report library's (report/run_result.hpp): the master builds a
// run_result while the run goes, and these are the names of it the master uses unqualified.
// Reporters' functions stay qualified (report::result_document, ...).
#include "report/baseline.hpp"
#include "report/run_result.hpp"

namespace stampede::master {

using report::baseline;
using report::breaking_point;
using report::data_gap;
using report::early_stop;
using report::endpoint_point;
using report::event_kind;
using report::history_row;
using report::link_record;
using report::run_event;
using report::run_result;
using report::run_setting;
using report::stage_record;
using report::verdict;
using report::wall_clock;
using report::worker_series;

}  // namespace stampede::master
