// The watched series as the result keeps them: moments placed by their tick with gaps between,
// figures (first, last, min, max, average, least-squares slope and growth) over a span, the
// record read back from its JSON the same, and a long run thinned to stay within its bound.
#include "report/watch_record.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "report/watch_json.hpp"

using namespace stampede::report;

namespace {

watch_record two_series() {
    watch_record r;
    r.interval_s = 1;
    r.first_at_s = 0.5;
    r.series = {{"mem", "B", "process svc", {}}, {"rate", "/s", "http://x/metrics", {}}};
    return r;
}

}  // namespace

TEST_CASE("a watch record places each source's moment and leaves gaps where none came", "[watch]") {
    auto r = two_series();
    r.put(0, 0, {100.0});
    r.put(1, 0, {std::nullopt});
    r.put(0, 3, {130.0});  // moments 1 and 2 never came
    REQUIRE(r.moments() == 4);
    CHECK(r.series[0].values[0] == 100.0f);
    CHECK(std::isnan(r.series[0].values[1]));
    CHECK(std::isnan(r.series[1].values[0]));
    CHECK(r.at_s(3) == 3.5);
}

TEST_CASE("a series' figures: first, last, extremes, average, and the least-squares slope and growth", "[watch]") {
    auto r = two_series();
    for (std::size_t t = 0; t < 10; ++t) r.put(0, t, {1000.0 + 10.0 * static_cast<double>(t)});  // +10 B a second
    const auto f = r.figures(0);
    CHECK(f.readings == 10);
    CHECK(f.first == 1000);
    CHECK(f.last == 1090);
    CHECK(f.min == 1000);
    CHECK(f.max == 1090);
    CHECK(f.avg == Approx(1045));
    REQUIRE(f.slope);
    CHECK(*f.slope == Approx(10));
    REQUIRE(f.growth);
    CHECK(*f.growth == Approx(90.0 / 1000.0));
    const auto late = r.figures(0, 5.5);  // from the moment at 5.5 s on: a warm-up left out
    CHECK(late.readings == 5);
    CHECK(late.first == 1050);
    CHECK(r.figures(1).readings == 0);
    CHECK_FALSE(r.figures(1).slope);
}

TEST_CASE("a watch record reads back from its JSON as it was written", "[watch]") {
    auto r = two_series();
    r.put(0, 0, {1.5});
    r.put(1, 1, {2.5});
    const auto doc = watch_json(r);
    CHECK(doc["series"][0]["figures"]["max"] == 1.5);
    CHECK(doc["series"][1]["values"][0].is_null());
    const auto back = read_watch(doc);
    REQUIRE(back.ok());
    CHECK(back->moments() == 2);
    CHECK(back->series[1].values[1] == 2.5f);
    CHECK(back->first_at_s == 0.5);
    CHECK(watch_json(watch_record{}).is_null());
    auto damaged = doc;
    damaged["series"][1]["values"].push_back(1);
    CHECK(read_watch(damaged).error() == "watch: series 'rate' has 3 values where the others have 2");
    damaged = doc;
    damaged["series"][0]["values"][0] = "x";
    CHECK_FALSE(read_watch(damaged).ok());
}

TEST_CASE("a long run's record is thinned to its bound, every other moment dropped, the span kept", "[watch]") {
    auto r = two_series();
    r.max_values = 20;  // ten moments of two series
    for (std::size_t t = 0; t < 40; ++t) r.put(0, t, {static_cast<double>(t)});
    CHECK(r.stride == 4);
    CHECK(r.interval_s == 4);
    CHECK(r.moments() == 10);
    CHECK(r.series[0].values[9] == 36.0f);
    CHECK(r.at_s(9) == 36.5);
    CHECK(r.series[0].values.size() * r.series.size() <= r.max_values);
}
