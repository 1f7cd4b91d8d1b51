#include "common/duration.hpp"

#include <catch2/catch.hpp>

using namespace stampede::common;
using namespace std::chrono_literals;

TEST_CASE("durations parse as users write them", "[duration]") {
    CHECK(*parse_duration("90s") == micros(90s));
    CHECK(*parse_duration("10m") == micros(10min));
    CHECK(*parse_duration("1h30m") == micros(90min));
    CHECK(*parse_duration("1h30m15s") == micros(5415s));
    CHECK(*parse_duration("250ms") == micros(250ms));
    CHECK(*parse_duration("1.5s") == micros(1500ms));
    CHECK(*parse_duration("30") == micros(30s));
    CHECK(*parse_duration("0") == micros(0));
    CHECK(*parse_duration("40us") == micros(40));
}

TEST_CASE("bad durations are refused with a reason", "[duration]") {
    CHECK(parse_duration("").error() == "empty duration");
    CHECK(parse_duration("abc").error().find("invalid duration 'abc'") != std::string::npos);
    CHECK(parse_duration("10x").error().find("unknown unit") != std::string::npos);
    CHECK(parse_duration("1m30").error().find("missing unit") != std::string::npos);
    CHECK_FALSE(parse_duration("-5s"));
}

TEST_CASE("durations format back to what parses", "[duration]") {
    CHECK(format_duration(micros(5415s)) == "1h30m15s");
    CHECK(format_duration(micros(250ms)) == "250ms");
    CHECK(format_duration(micros(0)) == "0s");
    for (auto text : {"1h", "2m5s", "750ms", "17us"}) CHECK(format_duration(*parse_duration(text)) == text);
}
