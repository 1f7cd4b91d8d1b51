#pragma once
// The result of a run: one model, produced by the master, rendered by every reporter.
// It already carries the places later features fill (workers, events, stages, verdicts).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/load_plan.hpp"
#include "stats/stats_delta.hpp"
#include "report/stats_row.hpp"
#include "report/watch_record.hpp"

namespace stampede::report {

using wall_clock = std::chrono::system_clock;

// One endpoint in one history row: its requests in the interval, and its latency over the
// sliding window. Compact on purpose: a day's soak of 20 endpoints keeps 1.7 million of them.
struct endpoint_point {
    std::uint32_t requests = 0, failures = 0;          // in this interval (saturating)
    float p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;  // over the sliding window
};

// One open-model class in one history row: iterations started and dropped in the interval.
struct class_point {
    std::uint32_t iterations = 0, dropped = 0;
};

// One snapshot interval, as Locust's stats history row: current rates and cumulative totals,
// and the same interval per endpoint.
struct history_row {
    std::int64_t unix_time = 0;
    double elapsed_s = 0;  // since the start, when the interval ended
    int users = 0;
    double current_rps = 0, current_fps = 0;          // over the sliding window
    double current_p50_ms = 0, current_p95_ms = 0, current_p99_ms = 0;  // over the sliding window
    stats_row total;                                  // cumulative since the start
    std::uint64_t iterations = 0, dropped = 0;        // open-model classes', in this interval
    std::vector<endpoint_point> endpoints;            // indexed by endpoint id
    std::vector<class_point> classes;                 // indexed by user class (open ones count)
};

// One worker's requests and CPU per history row, from the row it first appeared in on.
struct worker_series {
    std::string id, name;
    std::size_t first_row = 0;
    std::vector<std::uint32_t> requests;  // applied in each interval (saturating)
    std::vector<float> cpu_percent;       // as it last reported; NaN while it was not connected
};

// What happens in a run, each kind named once. `count` is not a kind: it stays last.
enum class event_kind : std::uint8_t {
    worker_joined, worker_reconnected, worker_quit, worker_failed, worker_lost, worker_cpu_high,
    master_stalled, spawning_complete, threshold_failed, stop_condition_met, load_changed, statistics_reset, stopped,
    watch_failed, watch_recovered,
    count
};
std::string_view to_string(event_kind kind);

// Every event is stamped on the same clock (the wall clock, when it happened), wherever it
// was noticed: the cluster's threads or the run loop.
struct run_event {
    wall_clock::time_point at;
    event_kind kind = event_kind::stopped;
    std::string detail;
};

// A stage of the load shape as it ran (the plan's one, a shape's, a capacity search's step),
// with what its requests did, every endpoint together: the per-step table.
struct stage_record {
    std::string name;
    double from_s = 0, to_s = 0;  // since the start
    int users = 0;                // its target
    double spawn_rate = 0;
    std::uint64_t requests = 0, failures = 0;
    double rps = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0, avg_ms = 0;
    // With stop conditions: "held" (none held during it) or "broke"; a capacity search's
    // step: "met" or "missed" (its conditions), "confirmed" or "not confirmed". Else empty.
    std::string outcome;
    // Each watched series' average over the stage, as result.watch.series (NaN: no reading):
    // the service at each load.
    std::vector<float> service;
    double error_rate() const { return requests ? static_cast<double>(failures) / static_cast<double>(requests) : 0; }
};

// Why a run stopped before its time, by its own conditions.
struct early_stop {
    bool stop_condition = false;  // else a threshold with abort_on_fail
    std::string condition;        // as written: "avg > 2s"
    std::string measured_text;    // "2315.0 ms over 10 s"
    double at_s = 0;
};

// Where the target broke: under a shape with stop conditions, the load at failure, the last
// lower load that held, and that load's throughput (the maximum sustainable rate); or what a
// capacity search found: the lowest load that missed its conditions, the highest that met
// them, and its throughput.
struct breaking_point {
    std::string condition, measured_text;   // what did not hold there, and what was measured
    double at_s = 0;
    std::optional<int> users;               // the load at failure; none: nothing failed up to the max
    std::optional<int> last_good_users;     // the last lower stage that held, or the search's found load
    std::optional<double> max_sustainable_rps;
    bool searched = false;                  // a capacity search's finding
    bool search_complete = true;            // false: the run time or a signal cut the search short
    std::optional<bool> confirmed;          // the search held its found load again: did it still meet them?
};

// A threshold and how the run did against it.
struct verdict {
    std::string target;               // as the user wrote it: "p95 < 300ms"
    std::string endpoint;             // the endpoint's, class's or tag's name; empty: the whole run
    std::string scope;                // "endpoint", "class" or "tag"; empty: the whole run
    std::optional<double> measured;   // in the threshold's unit; none: no data to judge
    std::string measured_text;        // "412.3 ms", or "no data"; where judged live, over what and when
    bool passed = false;
    bool stopped_run = false;         // its failure ended the run (abort_on_fail)
    std::optional<double> limit;      // the bound in the threshold's unit (a baseline's made absolute)
    std::string chart;                // "latency" or "rps": the report draws the limit there
};

// How one worker's control link held up: how often the master took it for lost (and the
// longest silence it heard), how often it came back, how often its stream closed under it, and
// how many intervals its snapshots merged because the link was behind.
struct link_record {
    std::uint32_t lost = 0, rejoined = 0, streams_closed = 0;
    double lost_after_s = 0;       // the silence the master took it for lost after
    double longest_silence_s = 0;  // the longest the master heard nothing from it, until it was heard again
    double longest_delay_s = 0;    // the longest from the end of a snapshot's counts to its arrival
    std::uint64_t merged_intervals = 0;
    bool troubled() const { return lost || rejoined || streams_closed || merged_intervals; }
};
// What happened to a worker's link and why, in a sentence (empty when nothing did).
std::string describe_link(const link_record& link);

struct worker_record {
    std::string id, name;
    std::string machine;  // the host the worker runs on
    int threads = 0;
    std::string state;  // joining, ready, running, stopped, lost, quit, failed
    std::uint64_t requests = 0, failures = 0;
    double max_cpu_percent = 0;
    std::uint64_t rss_bytes = 0;
    std::vector<int> users;  // assigned per user class when the run ended (or the worker left)
    link_record link;
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

// A host the scenario sends to, as the result names it: its name and base URL.
struct result_host {
    std::string name;
    std::string url;
};

// A flag's value that came from outside the command line: the environment or a config file.
struct run_setting {
    std::string flag;    // "--users"
    std::string value;   // secrets as "***"
    std::string source;  // "STAMPEDE_USERS", "medium.conf:3"
};

struct run_result {
    std::string version = STAMPEDE_VERSION;
    std::string scenario_path;
    std::string command_line;
    std::vector<run_setting> settings;
    // Listeners left open to anyone by --allow-unauthenticated ("the control channel on ...").
    std::vector<std::string> unauthenticated_listeners;
    std::string target_url;  // the default host's base URL (JSON: "host", as Locust names it)
    std::vector<result_host> hosts;  // indexed by lang::endpoint::host; [0] the default
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
    std::vector<worker_series> workers_over_time;  // per worker, aligned with history's rows
    watch_record watch;  // the service's own figures (a scenario's `watch:`), on the watch's time axis
    std::vector<run_event> events;  // in time order
    std::vector<stage_record> stages;
    std::vector<verdict> verdicts;
    std::vector<std::string> thresholds_left_out;  // not judged: --tags left nothing of theirs
    std::optional<early_stop> stopped_early;
    std::optional<breaking_point> breaking;
    std::vector<worker_record> workers;
    std::uint64_t refused_snapshots = 0;  // malformed snapshots from workers, not merged
    std::vector<data_gap> data_gaps;

    double duration_s() const { return std::chrono::duration<double>(end - start).count(); }
    // When the statistics count from: the start, or the last reset (the web UI's).
    std::optional<wall_clock::time_point> stats_reset_at;
    // What the totals' rates are over: the run's length, or since the last reset.
    double stats_duration_s() const {
        return std::chrono::duration<double>(end - stats_reset_at.value_or(start)).count();
    }
    double seconds_since_start(wall_clock::time_point t) const {
        return std::chrono::duration<double>(t - start).count();
    }
    bool incomplete() const {
        for (const auto& g : data_gaps)
            if (g.fails_run) return true;
        return false;
    }
};

// Whether every threshold passed (none: yes).
bool all_passed(const std::vector<verdict>& verdicts);

}  // namespace stampede::report
