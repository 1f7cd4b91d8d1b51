#include "stats/histogram.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

using stampede::stats::histogram;
using stampede::stats::histogram_bucket;

namespace {

// The exact nearest-rank percentile of sorted samples: the value at rank ceil(p/100 * n).
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, double p) {
    const auto rank = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size())));
    return sorted[std::min(rank, sorted.size()) - 1];
}

void check_against_exact(std::vector<std::uint64_t> samples) {
    histogram h;
    for (auto v : samples) h.record(v);
    std::sort(samples.begin(), samples.end());
    for (double p : {1.0, 10.0, 25.0, 50.0, 66.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
        const auto exact = static_cast<double>(exact_percentile(samples, p));
        const auto approx = static_cast<double>(h.percentile(p));
        INFO("p" << p << " exact " << exact << " histogram " << approx);
        // Relative error 0.1 % at most; below 1024 us buckets are 1 us wide and exact.
        CHECK(std::abs(approx - exact) <= std::max(exact * 0.001, 0.0));
    }
    CHECK(h.count() == samples.size());
    CHECK(h.min() == samples.front());
    CHECK(h.max() == samples.back());
}

}  // namespace

TEST_CASE("histogram percentiles match exact sorted samples within 0.1 %", "[histogram]") {
    std::mt19937_64 random(42);
    SECTION("uniform over a wide range") {
        std::uniform_int_distribution<std::uint64_t> d(1, 5'000'000);
        std::vector<std::uint64_t> s(100'000);
        for (auto& v : s) v = d(random);
        check_against_exact(s);
    }
    SECTION("log-normal latencies around 20 ms") {
        std::lognormal_distribution<double> d(std::log(20'000.0), 0.8);
        std::vector<std::uint64_t> s(100'000);
        for (auto& v : s) v = static_cast<std::uint64_t>(d(random)) + 1;
        check_against_exact(s);
    }
    SECTION("sub-millisecond exponential") {
        std::exponential_distribution<double> d(1.0 / 300.0);
        std::vector<std::uint64_t> s(50'000);
        for (auto& v : s) v = static_cast<std::uint64_t>(d(random)) + 1;
        check_against_exact(s);
    }
    SECTION("a few samples") { check_against_exact({5, 1'000'000, 70, 70, 3'600'000'000ULL}); }
}

TEST_CASE("histogram bucket geometry keeps the relative error bounded", "[histogram]") {
    for (std::uint64_t v : std::vector<std::uint64_t>{0, 1, 1023, 1024, 1025, 2047, 2048, 4095, 4096, 1'000'003,
                                                    3'600'000'000ULL, histogram::max_trackable}) {
        const int index = histogram::index_of(v);
        INFO("value " << v << " index " << index);
        REQUIRE(index >= 0);
        REQUIRE(index < histogram::counts_length);
        CHECK(histogram::lowest_at(index) <= v);
        CHECK(v < histogram::lowest_at(index) + histogram::width_at(index));
        CHECK(static_cast<double>(histogram::width_at(index)) <= std::max(1.0, v / 512.0));
        // The midpoint, what percentiles report, is within 1/1024 of any value in the bucket.
        CHECK(std::abs(static_cast<double>(histogram::midpoint_at(index)) - static_cast<double>(v)) <=
              std::max(0.5, v / 1024.0));
    }
    CHECK(histogram::index_of(histogram::max_trackable) == histogram::counts_length - 1);
}

TEST_CASE("histogram range ends: zero, one hour, and beyond the range", "[histogram]") {
    histogram h;
    h.record(0);
    h.record(3'600'000'000ULL);  // one hour
    h.record(histogram::max_trackable + 1000, 2);
    CHECK(h.count() == 4);
    CHECK(h.min() == 0);
    CHECK(h.clamped() == 2);
    CHECK(h.max() == histogram::max_trackable);
    CHECK(h.percentile(50) >= 3'600'000'000ULL * 0.999);
    histogram empty;
    CHECK(empty.percentile(99) == 0);
    CHECK(empty.min() == 0);
    CHECK(empty.mean() == 0.0);
}

TEST_CASE("merging histograms equals recording the union of their samples", "[histogram]") {
    std::mt19937_64 random(7);
    std::lognormal_distribution<double> d(std::log(5'000.0), 1.5);
    histogram a, b, both;
    for (int i = 0; i < 20'000; ++i) {
        const auto v = static_cast<std::uint64_t>(d(random));
        (i % 3 ? a : b).record(v);
        both.record(v);
    }
    histogram merged = a;
    merged.merge(b);
    CHECK(merged == both);
    CHECK(merged.percentile(99) == both.percentile(99));
    histogram other_order = b;
    other_order.merge(a);
    CHECK(other_order == both);
}

TEST_CASE("the bucket iterator walks the non-empty buckets in value order, with their ranges", "[histogram]") {
    histogram h;
    h.record(3, 2);
    h.record(1500);
    h.record(1501);         // the same 2-us bucket above 1024
    h.record(3'000'000);    // an octave of its own, in another block
    std::vector<histogram_bucket> seen(h.buckets().begin(), h.buckets().end());
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].low == 3);
    CHECK(seen[0].high == 3);
    CHECK(seen[0].count == 2);
    CHECK(seen[1].low == 1500);
    CHECK(seen[1].high == 1501);
    CHECK(seen[1].count == 2);
    CHECK(seen[2].low <= 3'000'000);
    CHECK(seen[2].high >= 3'000'000);
    CHECK(seen[2].high - seen[2].low + 1 == histogram::width_at(seen[2].index));
    std::uint64_t total = 0;
    for (const auto& b : h.buckets()) total += b.count;
    CHECK(total == h.count());
    CHECK(histogram().buckets().begin() == histogram().buckets().end());
}
