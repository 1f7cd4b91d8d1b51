#include "proto/snapshot_codec.hpp"

#include "common/utf8.hpp"
#include "stampede/v1/cluster.pb.h"

namespace stampede::wire {

using namespace common;
using namespace stats;

namespace {
// Longest error message kept: a message quotes at most a part of a response.
constexpr std::size_t max_error_message = 1024;
}  // namespace

void encode_snapshot(const stats_delta& delta, std::uint64_t sequence, v1::Snapshot& out) {
    out.Clear();
    out.set_sequence(sequence);
    out.set_cancelled(delta.cancelled);
    for (std::size_t i = 0; i < delta.endpoints.size(); ++i) {
        const auto& e = delta.endpoints[i];
        if (e.empty()) continue;
        auto* wire = out.add_endpoints();
        wire->set_endpoint(static_cast<std::uint32_t>(i));
        wire->set_requests(e.requests);
        wire->set_failures(e.failures);
        wire->set_bytes(e.bytes);
        wire->set_messages(e.messages);
        wire->set_histogram(encode_histogram(e.latency));
        if (!e.uncorrected.empty()) wire->set_uncorrected_histogram(encode_histogram(e.uncorrected));
        if (!e.connect.empty()) wire->set_connect_histogram(encode_histogram(e.connect));
        if (!e.tls_handshake.empty()) wire->set_tls_histogram(encode_histogram(e.tls_handshake));
    }
    for (std::size_t i = 0; i < delta.classes.size(); ++i) {
        const auto& c = delta.classes[i];
        if (c.empty()) continue;
        auto* wire = out.add_classes();
        wire->set_user_class(static_cast<std::uint32_t>(i));
        wire->set_iterations(c.iterations);
        wire->set_dropped(c.dropped);
        if (!c.start_lag.empty()) wire->set_start_lag(encode_histogram(c.start_lag));
    }
    for (std::size_t i = 0; i < delta.checks.size(); ++i) {
        const auto& c = delta.checks[i];
        if (!c.passed && !c.failed) continue;
        auto* wire = out.add_checks();
        wire->set_check(static_cast<std::uint32_t>(i));
        wire->set_passed(c.passed);
        wire->set_failed(c.failed);
    }
    for (std::size_t i = 0; i < delta.skipped.size(); ++i) {
        if (!delta.skipped[i]) continue;
        auto* wire = out.add_skipped();
        wire->set_endpoint(static_cast<std::uint32_t>(i));
        wire->set_count(delta.skipped[i]);
    }
    for (const auto& [key, record] : delta.errors) {
        auto* wire = out.add_errors();
        wire->set_endpoint(key.endpoint);
        wire->set_kind(static_cast<std::uint32_t>(key.kind));
        wire->set_code(key.code);
        wire->set_message(valid_utf8_prefix(record.message, max_error_message));
        wire->set_count(record.count);
    }
}

namespace {

bool implausible(std::uint64_t count) { return count > max_count_per_snapshot; }

// Validates every field and adds up what the snapshot holds into `counts`, in one pass.
common::status check_classes(const v1::Snapshot& snapshot, std::size_t class_count, std::vector<bool>& seen,
                             snapshot_counts& counts) {
    seen.assign(class_count, false);
    for (const auto& c : snapshot.classes()) {
        if (c.user_class() >= class_count)
            return common::fail("user class " + std::to_string(c.user_class()) + " is outside the scenario's classes");
        if (seen[c.user_class()]) return common::fail("user class " + std::to_string(c.user_class()) + " appears twice");
        seen[c.user_class()] = true;
        if (implausible(c.iterations()) || implausible(c.dropped()))
            return common::fail("an iteration count is larger than any worker counts in one interval");
        counts.others = saturating_add(counts.others, saturating_add(c.iterations(), c.dropped()));
    }
    return {};
}

common::status check_fields(const v1::Snapshot& snapshot, std::size_t endpoint_count, std::size_t check_count,
                         std::vector<bool>& seen, snapshot_counts& counts) {
    const std::string too_large = " count is larger than any worker counts in one interval";
    counts = {};
    auto other = [&](std::uint64_t n) { counts.others = saturating_add(counts.others, n); };
    if (implausible(snapshot.cancelled())) return common::fail("a cancelled" + too_large);
    other(snapshot.cancelled());
    for (const auto& c : snapshot.checks()) {
        if (c.check() >= check_count) return common::fail("check " + std::to_string(c.check()) + " is outside the scenario's checks");
        if (implausible(c.passed()) || implausible(c.failed())) return common::fail("a check" + too_large);
        other(c.passed()), other(c.failed());
    }
    for (const auto& s : snapshot.skipped()) {
        if (s.endpoint() >= endpoint_count) return common::fail("skipped steps for an unknown endpoint");
        if (implausible(s.count())) return common::fail("a skipped-steps" + too_large);
        other(s.count());
    }
    seen.assign(endpoint_count, false);
    for (const auto& e : snapshot.endpoints()) {
        if (e.endpoint() >= endpoint_count)
            return common::fail("endpoint " + std::to_string(e.endpoint()) + " is outside the scenario's " +
                   std::to_string(endpoint_count) + " endpoints");
        if (seen[e.endpoint()]) return common::fail("endpoint " + std::to_string(e.endpoint()) + " appears twice");
        seen[e.endpoint()] = true;
        if (implausible(e.requests())) return common::fail("a request" + too_large);
        if (implausible(e.messages())) return common::fail("a WebSocket message" + too_large);
        if (e.failures() > e.requests()) return common::fail("more failures than requests");
        // A body is at most 1 GiB (the largest max_body): 4 GiB per request is surely a lie.
        if (e.bytes() / (std::uint64_t{1} << 32) > e.requests()) return common::fail("more bytes than the requests could carry");
        counts.requests = saturating_add(counts.requests, e.requests());
        counts.failures = saturating_add(counts.failures, e.failures());
        counts.bytes = saturating_add(counts.bytes, e.bytes());
        other(e.messages());
    }
    for (const auto& e : snapshot.errors()) {
        if (e.endpoint() >= endpoint_count) return common::fail("error for an unknown endpoint");
        if (e.kind() >= error_kind_count) return common::fail("unknown error kind");
        if (e.count() == 0) return common::fail("error with no occurrences");
        if (implausible(e.count())) return common::fail("an error" + too_large);
        other(e.count());
    }
    return {};
}

bool exceeds(const snapshot_counts& counts, const snapshot_counts& allowance) {
    return counts.requests > allowance.requests || counts.failures > allowance.failures ||
           counts.bytes > allowance.bytes || counts.others > allowance.others;
}

// Every histogram of the snapshot, with where it goes and how many values it must hold.
void list_histograms(const v1::Snapshot& snapshot, stats_delta& into, snapshot_scratch& scratch) {
    scratch.merges.clear();
    for (const auto& e : snapshot.endpoints()) {
        auto& target = into.endpoints[e.endpoint()];
        scratch.merges.push_back({&target.latency, e.histogram(), e.requests()});
        if (!e.uncorrected_histogram().empty())
            scratch.merges.push_back({&target.uncorrected, e.uncorrected_histogram(), e.requests()});
        // One value per connection made, which a request cancelled while connecting makes
        // without being counted: no exact total to hold them to.
        if (!e.connect_histogram().empty())
            scratch.merges.push_back({&target.connect, e.connect_histogram(), std::nullopt});
        if (!e.tls_histogram().empty())
            scratch.merges.push_back({&target.tls_handshake, e.tls_histogram(), std::nullopt});
    }
    for (const auto& c : snapshot.classes())
        if (!c.start_lag().empty())
            scratch.merges.push_back({&into.classes[c.user_class()].start_lag, c.start_lag(), c.iterations()});
}

// Histograms merge in one pass straight into `into`; if one is damaged, the ones merged
// before it are taken back, so a refused snapshot leaves no trace.
common::status merge_histograms(snapshot_scratch& scratch) {
    const auto n = scratch.merges.size();
    scratch.summaries.resize(std::max(scratch.summaries.size(), n));
    scratch.min_max_before.resize(std::max(scratch.min_max_before.size(), n));
    for (std::size_t i = 0; i < n; ++i) {
        const auto& m = scratch.merges[i];
        scratch.min_max_before[i] = {m.into->raw_min(), m.into->max()};
        auto merged = merge_encoded(*m.into, m.bytes, m.count, scratch.summaries[i]);
        // A histogram with no exact count to hold (connection phases) is held to what any
        // worker counts in an interval, so no total can wrap.
        if (merged && !m.count && implausible(scratch.summaries[i].count)) {
            unmerge_encoded(*m.into, m.bytes, scratch.summaries[i], scratch.min_max_before[i].first,
                            scratch.min_max_before[i].second);
            merged = common::fail("a connection-phase histogram holds more values than any worker counts in one interval");
        }
        if (merged) continue;
        for (std::size_t j = i; j-- > 0;) {
            const auto& done = scratch.merges[j];
            unmerge_encoded(*done.into, done.bytes, scratch.summaries[j], scratch.min_max_before[j].first,
                            scratch.min_max_before[j].second);
        }
        return merged;
    }
    return {};
}

}  // namespace

common::status merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into,
                              snapshot_scratch& scratch, const snapshot_counts& allowance) {
    if (auto valid = check_fields(snapshot, endpoint_count, into.checks.size(), scratch.endpoint_seen, scratch.counts);
        !valid)
        return valid;
    if (auto valid = check_classes(snapshot, into.classes.size(), scratch.class_seen, scratch.counts); !valid)
        return valid;
    if (exceeds(scratch.counts, allowance))
        return common::fail("its counts would take the sender's totals past what any worker counts in a run");
    if (into.endpoints.size() < endpoint_count) into.endpoints.resize(endpoint_count);
    if (into.skipped.size() < endpoint_count) into.skipped.resize(endpoint_count);
    list_histograms(snapshot, into, scratch);
    if (auto merged = merge_histograms(scratch); !merged) return merged;
    for (const auto& e : snapshot.endpoints()) {
        auto& target = into.endpoints[e.endpoint()];
        target.requests += e.requests();
        target.messages += e.messages();
        target.failures += e.failures();
        target.bytes += e.bytes();
    }
    for (const auto& e : snapshot.errors()) {
        const error_key key{e.endpoint(), static_cast<error_kind>(e.kind()), e.code()};
        into.add_error(key, valid_utf8_prefix(e.message(), max_error_message), e.count());
    }
    for (const auto& c : snapshot.checks()) {
        into.checks[c.check()].passed += c.passed();
        into.checks[c.check()].failed += c.failed();
    }
    for (const auto& s : snapshot.skipped()) into.skipped[s.endpoint()] += s.count();
    for (const auto& c : snapshot.classes()) {
        into.classes[c.user_class()].iterations += c.iterations();
        into.classes[c.user_class()].dropped += c.dropped();
    }
    into.cancelled += snapshot.cancelled();
    return {};
}

common::status merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into) {
    snapshot_scratch scratch;
    return merge_snapshot(snapshot, endpoint_count, into, scratch);
}

}  // namespace stampede::wire
