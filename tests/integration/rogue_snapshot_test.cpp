// Every way a snapshot can be malformed, out of range or inconsistent, each sent by its own
// rogue worker into one real run: the master refuses that snapshot whole, keeps the honest
// ones around it, names the reason in its log and in the worker's data gap, and fails the run
// (exit 4) because counts the worker made did not count.
#include <catch2/catch.hpp>

#include <functional>
#include <thread>

#include "stats/histogram.hpp"
#include "stats/histogram_codec.hpp"
#include "tests/integration/rogue_worker.hpp"

using namespace stampede;
using namespace stampede::testing;

namespace {

struct malformed_case {
    std::string name;    // the rogue's name
    std::string reason;  // what the master says of the snapshot
    std::function<v1::Snapshot()> build;  // sent as snapshot 2, between two honest ones
};

// An encoded histogram of `count` values of `us` microseconds.
std::string histogram_of(std::uint64_t count, std::uint64_t us = 1000) {
    stats::histogram h;
    h.record(us, count);
    return stats::encode_histogram(h);
}

v1::Snapshot with(std::function<void(v1::Snapshot&)> edit) {
    auto s = honest_snapshot(2, 10);
    edit(s);
    return s;
}

std::vector<malformed_case> malformed_cases() {
    const std::string too_many = " count is larger than any worker counts in one interval";
    return {
        {"endpoint-outside", "endpoint 7 is outside the scenario's 1 endpoints",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_endpoint(7); }); }},
        {"endpoint-twice", "endpoint 0 appears twice",
         [] { return with([](auto& s) { *s.add_endpoints() = s.endpoints(0); }); }},
        {"more-failures", "more failures than requests",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_failures(11); }); }},
        {"more-bytes", "more bytes than the requests could carry",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_bytes(std::uint64_t{11} << 32); }); }},
        {"requests-implausible", "a request" + too_many,
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_requests((std::uint64_t{1} << 40) + 1); }); }},
        {"messages-implausible", "a WebSocket message" + too_many,
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_messages(UINT64_MAX); }); }},
        {"cancelled-implausible", "a cancelled" + too_many,
         [] { return with([](auto& s) { s.set_cancelled(UINT64_MAX); }); }},
        {"histogram-version", "histogram: unknown encoding version",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_histogram("\x7f" + histogram_of(10).substr(1)); }); }},
        {"histogram-missing", "histogram: unknown encoding version",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->clear_histogram(); }); }},
        {"histogram-truncated", "histogram: truncated header",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_histogram(histogram_of(10).substr(0, 2)); }); }},
        {"histogram-count", "histogram count differs from the request count",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_histogram(histogram_of(4)); }); }},
        {"uncorrected-count", "histogram count differs from the request count",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_uncorrected_histogram(histogram_of(9)); }); }},
        {"connect-damaged", "histogram: unknown encoding version",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_connect_histogram("junk"); }); }},
        {"connect-implausible", "a connection-phase histogram holds more values than any worker counts in one interval",
         [] { return with([](auto& s) { s.mutable_endpoints(0)->set_tls_histogram(histogram_of((std::uint64_t{1} << 40) + 1)); }); }},
        {"check-outside", "check 0 is outside the scenario's checks",
         [] { return with([](auto& s) { s.add_checks()->set_passed(1); }); }},
        {"skip-outside", "skipped steps for an unknown endpoint",
         [] { return with([](auto& s) { auto* k = s.add_skipped(); k->set_endpoint(3); k->set_count(1); }); }},
        {"error-outside", "error for an unknown endpoint",
         [] { return with([](auto& s) { auto* e = s.add_errors(); e->set_endpoint(1); e->set_kind(2); e->set_count(1); }); }},
        {"error-kind", "unknown error kind",
         [] { return with([](auto& s) { auto* e = s.add_errors(); e->set_kind(4000); e->set_count(1); }); }},
        {"error-empty", "error with no occurrences",
         [] { return with([](auto& s) { s.add_errors()->set_kind(2); }); }},
        {"class-outside", "user class 4 is outside the scenario's classes",
         [] { return with([](auto& s) { s.add_classes()->set_user_class(4); }); }},
        {"class-twice", "user class 0 appears twice",
         [] { return with([](auto& s) { s.add_classes(); s.add_classes(); }); }},
        {"start-lag-count", "histogram count differs from the request count",
         [] { return with([](auto& s) { auto* c = s.add_classes(); c->set_iterations(3); c->set_start_lag(histogram_of(2)); }); }},
        {"sequence-zero", "sequence 0: a worker's snapshots are numbered from 1",
         [] { return with([](auto& s) { s.set_sequence(0); }); }},
        {"sequence-ahead", "sequence 1002 is more than 1000 ahead of the last applied (1)",
         [] { return with([](auto& s) { s.set_sequence(1002); }); }},
    };
}

}  // namespace

TEST_CASE("each malformed, out-of-range or inconsistent snapshot is refused whole and named", "[rogue]") {
    const auto cases = malformed_cases();
    const auto n = std::to_string(cases.size());
    lying_run run({"-u", n, "--expect-workers", n});
    std::vector<std::thread> rogues;
    for (const auto& c : cases)
        rogues.emplace_back([&run, &c] {
            rogue_worker rogue(run.port, c.name);
            if (!rogue.welcomed()) return;
            rogue.ready();
            rogue.send(honest_snapshot(1, 10));
            rogue.send(c.build());
            rogue.send(honest_snapshot(3, 5));
            rogue.finish(3);
        });
    for (auto& t : rogues) t.join();
    const auto result = run.result();
    const auto log = run.master->err() + run.master->out();

    CHECK(run.code == 4);
    CHECK(result["refused_snapshots"] == cases.size());
    CHECK(result["totals"]["requests"] == 15 * cases.size());  // every honest snapshot, once
    REQUIRE(result["workers"].size() == cases.size());
    for (const auto& c : cases) {
        INFO("case " << c.name);
        const auto label = c.name + " (rogue-host)";
        bool counted = false, gap = false;
        for (const auto& w : result["workers"])
            if (w["name"] == c.name) counted = w["requests"] == 15;
        for (const auto& g : result["data_gaps"])
            if (g["worker"] == label)
                gap = g["reason"] == "1 of its snapshots were refused as malformed (the first: " + c.reason + ")" &&
                      g["fails_run"] == true;
        CHECK(counted);
        CHECK(gap);
        const auto sequence = c.name == "sequence-zero" ? "0" : c.name == "sequence-ahead" ? "1002" : "2";
        CHECK(log.find("refused snapshot " + std::string(sequence) + " from worker " + label + ": " + c.reason) !=
              std::string::npos);
    }
}
