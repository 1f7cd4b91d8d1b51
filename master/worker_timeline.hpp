#pragma once
// Each worker's requests and CPU over the run, one point per history row: the per-worker
// charts of the report and the web UI. Fed the cluster's samples after every interval.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "master/cluster.hpp"
#include "master/result_model.hpp"

namespace stampede::master {

class worker_timeline {
public:
    explicit worker_timeline(run_result& result) : result_(result) {}
    // The workers as they stand after the interval that made the last history row.
    void add(const std::vector<worker_sample>& workers);
    // A worker's `requests` that arrived late, placed in history row `row` (called before the
    // next add, whose samples count them already: they are not counted again there).
    void place_late(const std::string& worker_id, std::size_t row, std::uint64_t requests);

private:
    worker_series& series_of(const worker_sample& w);
    run_result& result_;
    std::unordered_map<std::string, std::size_t> index_;    // worker id -> its series
    std::vector<std::uint64_t> last_requests_;              // by series: applied before this row
};

}  // namespace stampede::master
