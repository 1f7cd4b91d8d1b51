#pragma once
// The run plan on the wire: one encoding, both ways, so a setting added to lang::run_plan is
// added here once and reaches every worker.
#include "scenario/run_plan.hpp"
#include "stampede/v1/cluster.pb.h"

namespace stampede::wire {

void encode_run_plan(const lang::run_plan& plan, v1::RunPlan& out);
lang::run_plan decode_run_plan(const v1::RunPlan& in);

}  // namespace stampede::wire
