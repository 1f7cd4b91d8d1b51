#include "common/text_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

using namespace stampede::common;

namespace {

std::string temp_path(const char* name) { return std::string("/tmp/stampede-text-file-") + std::to_string(getpid()) + name; }

}  // namespace

TEST_CASE("a file is read whole up to its limit, and refused past it without reading on", "[text_file]") {
    const auto path = temp_path("small");
    std::ofstream(path) << "hello";
    CHECK(*read_text_file(path, 5) == "hello");
    const auto big = read_text_file(path, 4);
    REQUIRE_FALSE(big);
    CHECK(big.error() == "is larger than 4 bytes");
    std::remove(path.c_str());
}

TEST_CASE("devices, FIFOs and directories are refused, not read", "[text_file]") {
    CHECK(read_text_file("/dev/zero", 1u << 20).error() == "is not a regular file");  // would never end
    const auto fifo = temp_path("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(read_text_file(fifo, 1u << 20).error() == "is not a regular file");  // opening must not wait for a writer
    std::remove(fifo.c_str());
    CHECK(read_text_file("/tmp", 1u << 20).error() == "is not a regular file");
    CHECK(read_text_file("/no/such/file", 1u << 20).error() == "No such file or directory");
}

TEST_CASE("limits read as people write them", "[text_file]") {
    CHECK(format_bytes(64u << 20) == "64 MiB");
    CHECK(format_bytes(512u << 10) == "512 KiB");
    CHECK(format_bytes(1000) == "1000 bytes");
}
