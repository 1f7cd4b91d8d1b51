#pragma once
// The names of the run the web side reads, in the live library's namespace: it watches a run
// the master holds (its observers, its workers' status, a start from the page) and renders
// the result the report library owns. Functions of either stay qualified.
#include "master/cluster.hpp"
#include "master/result_model.hpp"
#include "master/run_observer.hpp"
#include "master/start_request.hpp"

namespace stampede::live {

using master::cluster;
using master::cluster_status;
using master::state_name;
using master::worker_state;
using master::run_observer;
using master::start_request;
using report::event_kind;
using report::run_event;
using report::run_result;
using report::wall_clock;

}  // namespace stampede::live
