#pragma once
// The result's JSON document, where its shared parts are written and read back: what makes a
// document a Stampede result, an endpoint's row (counts, rates, percentiles, its histogram) and
// a check's tally. json_reporter writes the document through these; baseline, run_summary and
// report_data read it through them, so a key is named in one place.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.hpp"
#include "report/result_view.hpp"
#include "report/stats_row.hpp"
#include "stats/endpoint_stats.hpp"

namespace stampede::report {

// ---------------------------------------------------------------- written

// An endpoint's row, or the totals' (the same keys).
nlohmann::json row_json(const stats_row& r, const stats::endpoint_stats& stats);
// Each check's tally, with its endpoint.
nlohmann::json checks_json(const result_view& view);
// An endpoint as other sections name it: method, name, and host where it has one.
nlohmann::json endpoint_key(const lang::endpoint& e, std::string_view host);

// ---------------------------------------------------------------- read back

// Whether `doc` has a result's shape: its version, its totals and its endpoints.
bool is_result_document(const nlohmann::json& doc);
inline constexpr const char* not_a_result = "not a Stampede result (a file written with --json)";

// A row as read back; what it lacks, or holds as another type, is none.
struct read_row {
    std::string method, name, host;
    std::optional<std::uint64_t> requests, failures;  // whole, non-negative numbers only
    std::optional<double> rps, mean_ms, p50_ms, p95_ms, p99_ms;
    std::uint64_t bytes = 0;
    const nlohmann::json* histogram = nullptr;  // within the document read
};
read_row read_row_of(const nlohmann::json& row);
// Whether a row holds every figure a row is written with, as numbers; why not, at `where`.
common::status check_row(const nlohmann::json& row, const std::string& where);

struct read_check {
    std::string method, name;
    std::uint64_t passed = 0, failed = 0;
};
// The document's check tallies (none when it has none), or what is wrong with one.
common::result<std::vector<read_check>> read_checks(const nlohmann::json& doc);

}  // namespace stampede::report
