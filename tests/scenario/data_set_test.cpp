#include "scenario/data_set.hpp"

#include <catch2/catch.hpp>

using namespace stampede::lang;

TEST_CASE("CSV: header, quoted fields with commas, quotes and line breaks, CRLF", "[data]") {
    auto t = parse_csv("query,complexity\r\n\"x, y\",simple\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\nlast,\n");
    REQUIRE(t);
    CHECK(t->columns == std::vector<std::string>{"query", "complexity"});
    REQUIRE(t->rows.size() == 3);
    CHECK(t->rows[0] == std::vector<std::string>{"x, y", "simple"});
    CHECK(t->rows[1] == std::vector<std::string>{"say \"hi\"", "two\nlines"});
    CHECK(t->rows[2] == std::vector<std::string>{"last", ""});
}

TEST_CASE("CSV without a trailing newline", "[data]") {
    auto t = parse_csv("a\n1\n2");
    REQUIRE(t);
    CHECK(t->rows.size() == 2);
}

TEST_CASE("CSV mistakes name their line", "[data]") {
    CHECK(parse_csv("a,b\n1,2\n3\n").error() == "line 3: has 1 field(s), the header has 2");
    CHECK(parse_csv("a,b\n\"1,2\n").error() == "line 2: a quoted field is not closed");
    CHECK(parse_csv("a,a\n1,2\n").error() == "line 1: column 'a' appears twice");
    CHECK(parse_csv("a,b\n").error() == "line 1: no data rows under the header");
    CHECK(parse_csv("").error() == "line 1: no header row");
}
