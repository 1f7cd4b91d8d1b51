#pragma once
// The result of a run: one model, produced by the master, rendered by every reporter.
// It already carries the places later features fill (workers, events, stages, verdicts).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/load_plan.hpp"
#include "stats/stats_delta.hpp"
#include "master/stats_row.hpp"

namespace stampede::master {

using wall_clock = std::chrono::system_clock;

// One snapshot interval, as Locust's stats history row: current rates and cumulative totals.
struct history_row {
    std::int64_t unix_time = 0;
    int users = 0;
    double current_rps = 0, current_fps = 0;          // over the sliding window
    double current_p50_ms = 0, current_p95_ms = 0;    // over the sliding window
    stats_row total;                                  // cumulative since the start
};

struct run_event {
    double at_s = 0;  // seconds since the start
    std::string type;
    std::string detail;
};

struct worker_record {
    std::string id, name;
    std::string machine;  // the host the worker runs on
    int threads = 0;
    std::string state;  // joining, ready, running, stopped, lost, quit, failed
    std::uint64_t requests = 0, failures = 0;
    double max_cpu_percent = 0;
    std::uint64_t rss_bytes = 0;
    std::vector<int> users;  // assigned per user class when the run ended (or the worker left)
};

// Counts that may be missing from the result, and why: a worker lost for good (its last
// interval died with it), or counts a worker made that never reached the master.
struct data_gap {
    std::string worker;
    std::string reason;
    double from_s = 0, to_s = 0;           // the span whose counts may be missing (since the start)
    std::uint64_t known_missing = 0;       // requests the worker said it counted that never arrived
    std::uint64_t estimated_missing = 0;   // at most about this many more, at its last rate
    bool fails_run = false;                // unexplained: the result cannot be trusted
};

struct run_result {
    std::string version = STAMPEDE_VERSION;
    std::string scenario_path;
    std::string command_line;
    std::string target_url;  // the target's base URL (JSON: "host", as Locust names it)
    std::optional<std::string> profile;
    lang::run_load load;
    int threads = 0;
    std::vector<std::string> user_classes;
    wall_clock::time_point start, end;
    bool interrupted = false;  // stopped by a signal before its run time

    std::vector<lang::endpoint> endpoints;  // indexed like totals.endpoints
    std::vector<lang::check_info> checks;   // indexed like totals.checks
    stats::stats_delta totals;               // cumulative, per endpoint
    stats::endpoint_stats aggregate;         // cumulative, every endpoint together (the aggregator keeps it)
    std::vector<history_row> history;
    std::vector<run_event> events;
    std::vector<worker_record> workers;
    std::uint64_t refused_snapshots = 0;  // malformed snapshots from workers, not merged
    std::vector<data_gap> data_gaps;

    double duration_s() const { return std::chrono::duration<double>(end - start).count(); }
    bool incomplete() const {
        for (const auto& g : data_gaps)
            if (g.fails_run) return true;
        return false;
    }
    // Rows for endpoints that saw requests, sorted by name then method (Locust's order).
    std::vector<stats_row> endpoint_rows() const;
    stats_row aggregated_row() const;
};

}  // namespace stampede::master
