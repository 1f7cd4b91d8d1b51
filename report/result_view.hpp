#pragma once
// What every reporter shows of a result, joined once: ids turned into their endpoint's method
// and name, rows computed once, check pass rates and skipped steps worked out once. The
// console, CSV and JSON reporters (and the report and web pages after them) read this, not
// the raw tables of the run_result.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/run_result.hpp"
#include "report/stats_row.hpp"

namespace stampede::report {

struct endpoint_view {
    std::size_t id = 0;
    const stats::endpoint_stats* stats = nullptr;  // cumulative
    stats_row row;
};

// Every endpoint of one host together: a fleet's row per service.
struct host_view {
    std::string name;
    stats::endpoint_stats stats;  // merged from its endpoints' (exact: histograms merge)
    stats_row row;
};

struct error_view {
    const lang::endpoint* endpoint = nullptr;
    std::string_view host;  // the endpoint's host's name ("" when the result names none)
    stats::error_kind kind = stats::error_kind::transport;
    std::int32_t code = 0;
    std::string_view message;
    std::uint64_t count = 0;
};

struct check_view {
    const lang::endpoint* endpoint = nullptr;
    std::string_view host;
    const lang::check_info* check = nullptr;
    std::uint64_t passed = 0, failed = 0;
    std::optional<double> pass_rate;  // none: the check never ran
};

// An open-model user class: what its arrivals did.
struct open_class_view {
    const std::string* name = nullptr;
    const stats::class_counts* counts = nullptr;
};

struct skip_view {
    const lang::endpoint* endpoint = nullptr;
    std::string_view host;
    std::uint64_t count = 0;
};

// Borrows from the result it was made from: keep that alive and unchanged while it is read.
// Moved, never copied (`table` points into `endpoints`).
struct result_view {
    result_view() = default;
    result_view(result_view&&) = default;
    result_view& operator=(result_view&&) = default;
    result_view(const result_view&) = delete;
    result_view& operator=(const result_view&) = delete;

    std::vector<endpoint_view> endpoints;      // those that saw requests, in the scenario's order
    std::vector<const endpoint_view*> table;   // the same in Locust's table order (name, then method)
    endpoint_view aggregated;                  // every endpoint together
    std::vector<error_view> errors;
    std::vector<check_view> checks;            // the checks of steps that were in the run
    std::vector<skip_view> skipped;            // endpoints with steps skipped for want of a variable
    std::vector<open_class_view> open_classes; // classes that started or dropped iterations
    // With open-model users: every request's latency from the moment it was sent, every
    // endpoint together (an endpoint without the correction gives its one histogram).
    std::optional<stats::histogram> uncorrected_total;
    // Some endpoint went to a named host: tables show a host column, and `hosts` has a row
    // per host that saw requests, in the scenario's order (empty otherwise).
    bool named_hosts = false;
    std::vector<host_view> hosts;
};

result_view make_result_view(const run_result& result);

// The name of the host an endpoint's requests went to ("" when the result names no hosts).
const std::string& host_name(const run_result& result, const lang::endpoint& endpoint);

}  // namespace stampede::report
