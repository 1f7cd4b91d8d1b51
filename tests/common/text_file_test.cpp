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
    std::string why;
    CHECK(read_text_file(path, 5, &why) == "hello");
    CHECK_FALSE(read_text_file(path, 4, &why));
    CHECK(why == "is larger than 4 bytes");
    std::remove(path.c_str());
}

TEST_CASE("devices, FIFOs and directories are refused, not read", "[text_file]") {
    std::string why;
    CHECK_FALSE(read_text_file("/dev/zero", 1u << 20, &why));  // would never end
    CHECK(why == "is not a regular file");
    const auto fifo = temp_path("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_FALSE(read_text_file(fifo, 1u << 20, &why));  // opening must not wait for a writer
    CHECK(why == "is not a regular file");
    std::remove(fifo.c_str());
    CHECK_FALSE(read_text_file("/tmp", 1u << 20, &why));
    CHECK_FALSE(read_text_file("/no/such/file", 1u << 20, &why));
    CHECK(why == "No such file or directory");
}

TEST_CASE("limits read as people write them", "[text_file]") {
    CHECK(format_bytes(64u << 20) == "64 MiB");
    CHECK(format_bytes(512u << 10) == "512 KiB");
    CHECK(format_bytes(1000) == "1000 bytes");
}
