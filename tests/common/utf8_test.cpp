#include "common/utf8.hpp"

#include <catch2/catch.hpp>

using namespace stampede::common;

TEST_CASE("UTF-8 validity follows RFC 3629", "[utf8]") {
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é, €, 😀
    CHECK(first_invalid_utf8("ab\xFFz") == 2);
    CHECK(first_invalid_utf8("\xC0\xAF") == 0);          // overlong '/'
    CHECK(first_invalid_utf8("x\xED\xA0\x80") == 1);     // a surrogate
    CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0);  // past U+10FFFF
    CHECK(first_invalid_utf8("ok\xC3") == 2);            // cut in the middle
}

TEST_CASE("a prefix never cuts a character and replaces invalid bytes", "[utf8]") {
    std::string text(79, 'x');
    text += "\xC3\xA9\xC3\xA9";
    CHECK(valid_utf8_prefix(text, 80) == std::string(79, 'x'));
    CHECK(valid_utf8_prefix(text, 81) == std::string(79, 'x') + "\xC3\xA9");
    CHECK(valid_utf8_prefix("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(valid_utf8_prefix("a\xFF" "b", 3) == "a");  // the replacement does not fit
    CHECK(valid_utf8_prefix("") == "");
}
