#pragma once
// A stats delta: everything counted by one source (an io thread, a worker) during one
// interval. Deltas merge exactly; the master's totals are the merge of every delta it took.
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stats/endpoint_stats.hpp"

namespace stampede::stats {

// Why a request failed. Counted by kind on the data path, never thrown (as wrk does).
// `count` is not a kind: it stays last, so a kind added before it is valid on the wire at once.
// tls: a TLS handshake or alert (the certificate refused, by either side), apart from the
// socket's own failures (transport).
// websocket: a WebSocket upgrade refused, a connection closed by the server (with its close
// code), or a step on a connection that is not open.
// `request`: a request the worker would not send, its rendered path or a header holding a line
// break or NUL (scenario/request_text.hpp).
enum class error_kind : std::uint8_t { connect, timeout, transport, http_status, check, extract, jsonrpc, tls, websocket, request, count };
inline constexpr std::uint32_t error_kind_count = static_cast<std::uint32_t>(error_kind::count);
std::string_view to_string(error_kind kind);

// Errors group by endpoint, kind and a small code (HTTP status, errno); the first message
// seen for the group is kept, so no string work happens after the first occurrence.
struct error_key {
    std::uint32_t endpoint = 0;
    error_kind kind = error_kind::transport;
    std::int32_t code = 0;
    auto operator<=>(const error_key&) const = default;
    // The row that counts, per endpoint and kind, the errors past max_error_rows distinct ones.
    static constexpr std::int32_t others_code = INT32_MIN;
};

// Distinct error rows kept per endpoint; occurrences past them are counted, not listed.
inline constexpr std::size_t max_error_rows = 100;

struct error_record {
    std::uint64_t count = 0;
    std::string message;
};

// How often one declared check passed and failed.
struct check_tally {
    std::uint64_t passed = 0;
    std::uint64_t failed = 0;
};

// What the open model did for one user class: iterations started, iterations dropped
// because no user was free in time, and how late the started ones began (intended start to
// the moment they began, in microseconds).
struct class_counts {
    std::uint64_t iterations = 0;
    std::uint64_t dropped = 0;
    histogram start_lag;

    void merge(const class_counts& other);
    bool empty() const { return iterations == 0 && dropped == 0; }
};

struct stats_delta {
    std::vector<endpoint_stats> endpoints;  // indexed by endpoint id
    std::vector<check_tally> checks;        // indexed by check id
    std::vector<class_counts> classes;      // indexed by user class; counted for open-model classes only
    // Per endpoint: steps not sent because a variable they need was not set (an extraction
    // before them failed, or has not run yet).
    std::vector<std::uint64_t> skipped;
    std::map<error_key, error_record> errors;
    std::uint64_t cancelled = 0;  // requests cut off by a forced stop: not counted as requests

    explicit stats_delta(std::size_t endpoint_count = 0, std::size_t check_count = 0, std::size_t class_count = 0)
        : endpoints(endpoint_count), checks(check_count), classes(class_count), skipped(endpoint_count) {}
    void merge(const stats_delta& other);
    void reset();
    void add_error(const error_key& key, std::string_view message, std::uint64_t count = 1);
    // Every endpoint merged into one: a histogram merge per endpoint, once per interval (the
    // aggregator keeps the cumulative aggregate; readers take it from there).
    endpoint_stats merged_endpoints() const;
    std::uint64_t total_requests() const;
    bool empty() const;  // nothing counted at all
};

}  // namespace stampede::stats
