// The conditions judged while a run goes, fed interval by interval as the run loop feeds them.
#include "conditions/condition_monitor.hpp"

#include <catch2/catch.hpp>

#include "conditions/verdicts.hpp"

using namespace stampede;
using namespace stampede::conditions;
using namespace stampede::report;
using namespace std::chrono_literals;

namespace {

lang::threshold_spec condition(const std::string& text, std::optional<common::micros> window = std::nullopt,
                               common::micros grace = 0s, bool abort = false) {
    auto t = *lang::parse_threshold(text);
    t.window = window;
    t.grace = grace;
    t.abort_on_fail = abort;
    return t;
}

// Feeds intervals of 1 s, each of `n` requests taking `ms` milliseconds (none for n = 0).
struct feeder {
    condition_monitor& monitor;
    run_result result;
    double elapsed = 0;

    explicit feeder(condition_monitor& m) : monitor(m) {
        result.start = wall_clock::now();
        result.endpoints = {{"GET", "/a"}};
        result.totals = stats::stats_delta(1, 0);
    }
    condition_monitor::outcome interval(int n, int ms) {
        stats::stats_delta delta(1, 0);
        for (int i = 0; i < n; ++i) delta.endpoints[0].record(static_cast<std::uint64_t>(ms) * 1000, 0, false);
        result.totals.merge(delta);
        const auto every = delta.merged_endpoints();
        result.aggregate.merge(every);
        elapsed += 1;
        return monitor.add(delta, every, 1.0, elapsed, result);
    }
};

}  // namespace

TEST_CASE("a windowed threshold fails on its first bad window and keeps its worst", "[conditions]") {
    const std::vector thresholds = {condition("p95 < 100ms", 3s)};
    condition_monitor monitor(thresholds, {}, {}, {}, 1s, nullptr);
    feeder f(monitor);
    for (int i = 0; i < 5; ++i) CHECK_FALSE(f.interval(100, 10).stop);
    const auto* record = monitor.threshold_record(0);
    REQUIRE(record);
    CHECK(record->judged == 3);  // the first two intervals were not a whole window
    CHECK_FALSE(record->failed);
    const auto slow = f.interval(100, 500);  // a third of the window: its p95 is slow
    CHECK_FALSE(slow.stop);                  // it does not abort the run
    REQUIRE(slow.events.size() == 1);
    CHECK(slow.events[0].first == event_kind::threshold_failed);
    CHECK(slow.events[0].second.find("p95 < 100ms: 500.") == 0);
    REQUIRE(record->failed);
    CHECK(*record->failed == Approx(500).epsilon(0.01));
    CHECK(record->failed_at_s == 6);
    CHECK(f.interval(100, 10).events.empty());  // said once
    f.result.end = f.result.start + 7s;
    const auto v = judge_thresholds(thresholds, f.result, nullptr, &monitor);
    CHECK_FALSE(v[0].passed);
    CHECK(v[0].measured_text.find("over 3s at 6 s") != std::string::npos);
}

TEST_CASE("a windowed threshold that held shows its worst window, and one never judged has no data", "[conditions]") {
    const std::vector thresholds = {condition("p95 < 100ms", 2s), condition("p95 < 100ms", 10s)};
    condition_monitor monitor(thresholds, {}, {}, {}, 1s, nullptr);
    feeder f(monitor);
    f.interval(10, 10);
    f.interval(10, 30);
    f.interval(10, 20);
    f.result.end = f.result.start + 3s;
    const auto v = judge_thresholds(thresholds, f.result, nullptr, &monitor);
    CHECK(v[0].passed);
    CHECK(*v[0].measured == Approx(30).epsilon(0.01));
    CHECK(v[0].measured_text.find("worst 30.0 ms over 2s at 2 s") == 0);
    CHECK_FALSE(v[1].passed);
    CHECK(v[1].measured_text.find("no data") == 0);
}

TEST_CASE("the grace holds off judgement, and abort_on_fail then stops the run", "[conditions]") {
    const std::vector thresholds = {condition("error_rate < 1%", std::nullopt, 3s, true)};
    condition_monitor monitor(thresholds, {}, {}, {}, 1s, nullptr);
    feeder f(monitor);
    // Every interval has no failures but the first has no requests at all: no data, within the grace.
    CHECK_FALSE(f.interval(0, 0).stop);
    CHECK_FALSE(f.interval(10, 10).stop);
    CHECK_FALSE(f.interval(10, 10).stop);
    stats::stats_delta failing(1, 0);
    f.result.totals.endpoints[0].record(1000, 0, true);  // one failure among 21: 4.8 %
    f.result.aggregate.record(1000, 0, true);
    const auto out = f.interval(0, 0);
    REQUIRE(out.stop);
    CHECK_FALSE(out.stop->stop_condition);
    CHECK(out.stop->condition == "error_rate < 1%");
    CHECK(out.stop->measured_text.find("over the run so far") != std::string::npos);
}

TEST_CASE("a window with nothing to measure fails a threshold but holds no stop condition", "[conditions]") {
    const std::vector thresholds = {condition("p95 < 1s", 2s)};
    auto quiet = thresholds;
    quiet[0].no_data_passes = true;
    const std::vector stops = {condition("avg > 1s", 2s)};
    condition_monitor strict(thresholds, stops, {}, {}, 1s, nullptr), lenient(quiet, {}, {}, {}, 1s, nullptr);
    feeder a(strict), b(lenient);
    for (int i = 0; i < 3; ++i) {
        CHECK_FALSE(a.interval(0, 0).stop);
        b.interval(0, 0);
    }
    REQUIRE(strict.threshold_record(0)->failed_without_data);
    CHECK_FALSE(lenient.threshold_record(0)->failed_without_data);
}

TEST_CASE("a stop condition stops the run once it holds over a whole window", "[conditions]") {
    const std::vector stops = {condition("avg > 200ms", 2s)};
    condition_monitor monitor({}, stops, {}, {}, 1s, nullptr);
    feeder f(monitor);
    CHECK_FALSE(f.interval(10, 500).stop);  // one interval is not a window of two
    const auto out = f.interval(10, 10);    // average 255 ms over the two
    REQUIRE(out.stop);
    CHECK(out.stop->stop_condition);
    CHECK(out.stop->measured_text == "255.0 ms over 2s");
    REQUIRE(out.events.size() == 1);
    CHECK(out.events[0].first == event_kind::stop_condition_met);
}

TEST_CASE("a stop condition is judged over each stage's own requests, its first interval left out", "[conditions]") {
    const std::vector stops = {condition("avg > 200ms", 10s)};
    condition_monitor monitor({}, stops, {}, {}, 1s, nullptr);
    feeder f(monitor);
    monitor.begin_stage();
    f.interval(10, 900);  // the stage's first interval: the last stage's late snapshots
    for (int i = 0; i < 3; ++i) f.interval(10, 10);
    CHECK_FALSE(monitor.judge_stage(4));  // 10 ms, its own
    monitor.begin_stage();
    f.interval(10, 10);
    for (int i = 0; i < 3; ++i) CHECK_FALSE(f.interval(10, 500).stop);  // the window is not whole yet
    const auto stop = monitor.judge_stage(8);
    REQUIRE(stop);
    CHECK(stop->stop_condition);
    CHECK(stop->measured_text == "500.0 ms over the stage's own requests");
    monitor.begin_stage();
    CHECK(monitor.judge_stage(8, true));  // the stage before, still known
    CHECK_FALSE(monitor.judge_stage(8));  // the new one has nothing yet
}

TEST_CASE("a live threshold relative to a baseline compares with the baseline's figure", "[conditions]") {
    baseline base;
    base.duration_s = 10;
    for (int i = 0; i < 100; ++i) base.totals.record(20'000, 0, false);  // 20 ms
    const std::vector thresholds = {condition("p95 < 3x baseline", 1s, 0s, true)};
    condition_monitor with_base(thresholds, {}, {}, {}, 1s, &base), without(thresholds, {}, {}, {}, 1s, nullptr);
    feeder f(with_base), g(without);
    CHECK_FALSE(f.interval(10, 50).stop);  // 50 ms < 60 ms
    CHECK(f.interval(10, 70).stop);        // 70 ms > 60 ms
    CHECK_FALSE(g.interval(10, 70).stop);  // nothing to compare with: left to the verdict at the end
    CHECK(without.threshold_record(0)->judged == 0);
}
