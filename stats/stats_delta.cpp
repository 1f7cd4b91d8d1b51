#include "stats/stats_delta.hpp"

#include <climits>
#include <algorithm>

namespace stampede::stats {

std::string_view to_string(error_kind kind) {
    switch (kind) {
        case error_kind::connect: return "connect";
        case error_kind::timeout: return "timeout";
        case error_kind::transport: return "transport";
        case error_kind::http_status: return "http_status";
        case error_kind::check: return "check";
        case error_kind::extract: return "extract";
        case error_kind::jsonrpc: return "jsonrpc";
        case error_kind::tls: return "tls";
        case error_kind::websocket: return "websocket";
        case error_kind::request: return "request";
        case error_kind::count: break;
    }
    return "unknown";
}

void class_counts::merge(const class_counts& other) {
    iterations += other.iterations;
    dropped += other.dropped;
    if (!other.start_lag.empty()) start_lag.merge(other.start_lag);
}

void stats_delta::merge(const stats_delta& other) {
    if (classes.size() < other.classes.size()) classes.resize(other.classes.size());
    for (std::size_t i = 0; i < other.classes.size(); ++i) classes[i].merge(other.classes[i]);
    if (endpoints.size() < other.endpoints.size()) endpoints.resize(other.endpoints.size());
    for (std::size_t i = 0; i < other.endpoints.size(); ++i) endpoints[i].merge(other.endpoints[i]);
    if (checks.size() < other.checks.size()) checks.resize(other.checks.size());
    for (std::size_t i = 0; i < other.checks.size(); ++i) {
        checks[i].passed += other.checks[i].passed;
        checks[i].failed += other.checks[i].failed;
    }
    if (skipped.size() < other.skipped.size()) skipped.resize(other.skipped.size());
    for (std::size_t i = 0; i < other.skipped.size(); ++i) skipped[i] += other.skipped[i];
    for (const auto& [key, record] : other.errors) add_error(key, record.message, record.count);
    cancelled += other.cancelled;
}

void stats_delta::reset() {
    for (auto& e : endpoints) e.reset();
    for (auto& c : checks) c = {};
    for (auto& c : classes) {
        c.iterations = c.dropped = 0;
        c.start_lag.reset();
    }
    for (auto& s : skipped) s = 0;
    errors.clear();
    cancelled = 0;
}

void stats_delta::add_error(const error_key& key, std::string_view message, std::uint64_t count) {
    if (auto it = errors.find(key); it != errors.end()) {
        it->second.count += count;
        return;
    }
    // A new row: past the endpoint's limit it goes to the endpoint's row for the rest of its
    // kind, so that a worker or a server inventing messages cannot grow the result unbounded.
    const auto first = errors.lower_bound({key.endpoint, error_kind{}, INT32_MIN});
    const auto end = errors.lower_bound({key.endpoint + 1, error_kind{}, INT32_MIN});
    const auto listed = std::count_if(first, end, [](const auto& row) { return row.first.code != error_key::others_code; });
    if (key.code != error_key::others_code && static_cast<std::size_t>(listed) >= max_error_rows) {
        auto& others = errors[{key.endpoint, key.kind, error_key::others_code}];
        if (others.count == 0)
            others.message = "further " + std::string(to_string(key.kind)) + " errors, past the " +
                             std::to_string(max_error_rows) + " distinct ones listed for this endpoint";
        others.count += count;
        return;
    }
    auto& record = errors[key];
    record.message = message;
    record.count = count;
}

std::uint64_t stats_delta::total_requests() const {
    std::uint64_t sum = 0;
    for (const auto& e : endpoints) sum += e.requests;
    return sum;
}

bool stats_delta::empty() const {
    if (!errors.empty() || cancelled) return false;
    for (const auto& c : checks)
        if (c.passed || c.failed) return false;
    for (const auto& c : classes)
        if (!c.empty()) return false;
    for (auto s : skipped)
        if (s) return false;
    for (const auto& e : endpoints)
        if (!e.empty()) return false;
    return true;
}

endpoint_stats stats_delta::merged_endpoints() const {
    endpoint_stats sum;
    for (const auto& e : endpoints) sum.merge(e);
    return sum;
}

}  // namespace stampede::stats
