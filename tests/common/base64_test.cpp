#include <catch2/catch.hpp>

#include "common/base64.hpp"

using namespace stampede::common;

TEST_CASE("base64 encodes with padding and decodes back, refusing what is not base64", "[base64]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("user:pass") == "dXNlcjpwYXNz");
    const std::string bytes("\0\xff\x10 binary\x80", 11);
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
    CHECK(base64_decode("Zg==") == "f");
    CHECK(base64_decode("Zm8=") == "fo");
    CHECK_FALSE(base64_decode("Zg="));     // not a multiple of four
    CHECK_FALSE(base64_decode("Z!g="));    // not the alphabet
}
