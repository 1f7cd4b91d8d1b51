#pragma once
// Human output: the live status line and the final tables.
#include <ostream>
#include <string>

#include "report/run_result.hpp"

namespace stampede::report {

// "[  12s] users 50/50 | 4821.3 req/s | failures 0 (0.00%) | p50 1.20 ms | p95 3.40 ms"
std::string status_line(const run_result& result, const history_row& row, int target_users);
void print_summary(const run_result& result, std::ostream& out);
// Workers whose control link broke, stalled or fell behind, and what that did.
void print_worker_links(const run_result& result, std::ostream& out);
// Which workers' counts may be missing, and how many.
void print_data_gaps(const run_result& result, std::ostream& out);
// The per-stage table of a shaped run, why it stopped early, and where the target broke.
void print_stages(const run_result& result, std::ostream& out);
// The service's watched series: each one's first, last, min, max and trend.
void print_service(const run_result& result, std::ostream& out);
// Each watched series' average at each stage of a shaped run.
void print_service_by_stage(const run_result& result, std::ostream& out);
// The thresholds' verdicts, when the scenario has any.
void print_verdicts(const run_result& result, std::ostream& out);

}  // namespace stampede::report
