#include "common/snapshot_codec.hpp"

#include "stampede/v1/cluster.pb.h"

namespace stampede::common {

bool is_empty(const stats_delta& delta) {
    if (!delta.errors.empty() || delta.cancelled) return false;
    for (const auto& e : delta.endpoints)
        if (e.requests) return false;
    return true;
}

void encode_snapshot(const stats_delta& delta, std::uint64_t sequence, std::uint32_t users,
                     v1::Snapshot& out) {
    out.Clear();
    out.set_sequence(sequence);
    out.set_users(users);
    out.set_cancelled(delta.cancelled);
    for (std::size_t i = 0; i < delta.endpoints.size(); ++i) {
        const auto& e = delta.endpoints[i];
        if (e.requests == 0) continue;
        auto* wire = out.add_endpoints();
        wire->set_endpoint(static_cast<std::uint32_t>(i));
        wire->set_requests(e.requests);
        wire->set_failures(e.failures);
        wire->set_bytes(e.bytes);
        wire->set_histogram(e.latency.encode());
    }
    for (const auto& [key, record] : delta.errors) {
        auto* wire = out.add_errors();
        wire->set_endpoint(key.endpoint);
        wire->set_kind(static_cast<std::uint32_t>(key.kind));
        wire->set_code(key.code);
        wire->set_message(record.message);
        wire->set_count(record.count);
    }
}

namespace {

constexpr std::size_t max_error_message = 1024;

std::string check_endpoint(const v1::EndpointDelta& e, std::size_t endpoint_count, histogram_runs& runs) {
    if (e.endpoint() >= endpoint_count)
        return "endpoint " + std::to_string(e.endpoint()) + " is outside the scenario's " +
               std::to_string(endpoint_count) + " endpoints";
    if (e.failures() > e.requests()) return "more failures than requests";
    std::string error;
    if (!histogram::decode_runs(e.histogram(), runs, &error)) return error;
    if (runs.count != e.requests()) return "histogram count differs from the request count";
    return {};
}

}  // namespace

std::string merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into) {
    std::vector<histogram_runs> decoded(static_cast<std::size_t>(snapshot.endpoints_size()));
    for (int i = 0; i < snapshot.endpoints_size(); ++i) {
        if (auto error = check_endpoint(snapshot.endpoints(i), endpoint_count, decoded[static_cast<std::size_t>(i)]);
            !error.empty())
            return error;
    }
    for (const auto& e : snapshot.errors()) {
        if (e.endpoint() >= endpoint_count) return "error for an unknown endpoint";
        if (e.kind() > static_cast<std::uint32_t>(error_kind::check)) return "unknown error kind";
        if (e.count() == 0) return "error with no occurrences";
    }
    if (into.endpoints.size() < endpoint_count) into.endpoints.resize(endpoint_count);
    for (int i = 0; i < snapshot.endpoints_size(); ++i) {
        const auto& e = snapshot.endpoints(i);
        auto& target = into.endpoints[e.endpoint()];
        target.requests += e.requests();
        target.failures += e.failures();
        target.bytes += e.bytes();
        target.latency.merge(decoded[static_cast<std::size_t>(i)]);
    }
    for (const auto& e : snapshot.errors()) {
        const error_key key{e.endpoint(), static_cast<error_kind>(e.kind()), e.code()};
        into.add_error(key, e.message().substr(0, max_error_message), e.count());
    }
    into.cancelled += snapshot.cancelled();
    return {};
}

}  // namespace stampede::common
