#include "common/text_similarity.hpp"

#include <catch2/catch.hpp>

using namespace stampede::common;

TEST_CASE("edit distance counts a swap of neighbours as one edit", "[text_similarity]") {
    CHECK(edit_distance("tls", "tls") == 0);
    CHECK(edit_distance("tsl", "tls") == 1);
    CHECK(edit_distance("tsl", "url") == 2);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("ab", "ba") == 1);
}

TEST_CASE("the nearest candidate is offered only within half the word", "[text_similarity]") {
    CHECK(nearest("tsl", {"url", "headers", "tls"}) == "tls");
    CHECK(nearest("hots", {"host", "hosts"}) == "host");
    CHECK(nearest("completely", {"host", "tls"}).empty());
}
