#include "stats/histogram_codec.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace stampede::stats;

TEST_CASE("histogram encoding round-trips and stays compact", "[histogram]") {
    std::mt19937_64 random(3);
    std::lognormal_distribution<double> d(std::log(800.0), 0.5);
    histogram h;
    for (int i = 0; i < 50'000; ++i) h.record(static_cast<std::uint64_t>(d(random)) + 1);
    const auto bytes = encode_histogram(h);
    auto decoded = decode_histogram(bytes);
    REQUIRE(decoded);
    CHECK(*decoded == h);
    CHECK(bytes.size() < 4 * 1024);  // sparse: far below the 96 KB of a dense array

    auto empty = decode_histogram(encode_histogram(histogram()));
    REQUIRE(empty);
    CHECK(empty->count() == 0);
}

TEST_CASE("histogram decoding refuses damaged input", "[histogram]") {
    histogram h;
    h.record(10);
    h.record(5000);
    const auto bytes = encode_histogram(h);
    CHECK_FALSE(decode_histogram(""));
    CHECK(decode_histogram(std::string(1, '\x09')).error().find("version") != std::string::npos);
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        INFO("truncated to " << cut << " bytes");
        // Cut mid-varint: truncated. Cut between runs: the max no longer matches the counts.
        CHECK_FALSE(decode_histogram(bytes.substr(0, cut)));
    }
    std::string out_of_range = bytes;
    out_of_range += std::string("\xff\xff\x03\x01", 4);  // a run far past the last bucket
    CHECK_FALSE(decode_histogram(out_of_range));
    std::string overlong = bytes.substr(0, 1) + std::string(11, '\xff');
    CHECK_FALSE(decode_histogram(overlong));
}
