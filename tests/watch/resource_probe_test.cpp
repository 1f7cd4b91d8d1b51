// The probes on this machine's real /proc and cgroup filesystem: the test's own process found
// by pid, pid file and name, its CPU growing while it works, its memory resident; its own
// cgroup read from whichever hierarchy counts it; what does not exist, a clear error.
#include "watch/resource_probe.hpp"

#include <time.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace stampede::watch;

namespace {

// This thread's CPU time so far.
std::chrono::nanoseconds thread_cpu() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

// Spins for `how_long` of this thread's CPU time (not the wall clock's: a busy machine would
// give it less).
double burn(std::chrono::milliseconds how_long) {
    volatile double x = 1;
    const auto until = thread_cpu() + how_long;
    while (thread_cpu() < until)
        for (int i = 0; i < 1000; ++i) x = x * 1.0000001 + 1e-9;
    return x;
}

// This process's cgroup v2 path ("0::/path"), relative to the hierarchy's root.
std::string own_cgroup() {
    std::ifstream in("/proc/self/cgroup");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("0::")) return line.substr(4);
    return {};
}

std::string temp_file(const std::string& text) {
    char name[] = "/tmp/stampede-pid-XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
    return name;
}

}  // namespace

TEST_CASE("a process's CPU and resident memory are read from /proc, and grow as it works", "[probe]") {
    const auto before = read_process(getpid());
    REQUIRE(before.ok());
    REQUIRE(before->cpu_seconds);
    REQUIRE(before->memory_bytes);
    CHECK(*before->memory_bytes > 1 << 20);
    burn(std::chrono::milliseconds(300));
    const auto after = read_process(getpid());
    REQUIRE(after.ok());
    CHECK(*after->cpu_seconds - *before->cpu_seconds >= 0.2);
}

TEST_CASE("a process is found by pid, by a pid file and by name, or not found, saying so", "[probe]") {
    CHECK(*find_process({getpid(), {}, {}}) == getpid());
    const auto file = temp_file(std::to_string(getpid()) + "\n");
    CHECK(*find_process({0, file, {}}) == getpid());
    std::remove(file.c_str());
    const auto garbage = temp_file("not a pid\n");
    CHECK(find_process({0, garbage, {}}).error() == "pid file '" + garbage + "' does not hold a process id");
    std::remove(garbage.c_str());
    const auto by_name = find_process({0, {}, "unit_tests"});  // this binary; a parallel test's may be older
    REQUIRE(by_name.ok());
    std::ifstream comm("/proc/" + std::to_string(*by_name) + "/comm");
    std::string name;
    std::getline(comm, name);
    CHECK(name == "unit_tests");
    CHECK(find_process({0, {}, "no-such-process-here"}).error() == "no process named 'no-such-process-here'");
}

TEST_CASE("a cgroup is read from the hierarchy that counts it, and one that does not exist is a clear error", "[probe]") {
    const auto own = read_cgroup(own_cgroup());
    REQUIRE(own.ok());
    REQUIRE(own->cpu_seconds);
    CHECK(*own->cpu_seconds > 0);
    CHECK(read_cgroup("no/such/cgroup").error() ==
          "no cgroup 'no/such/cgroup' under /sys/fs/cgroup (looked in the v2 hierarchy and in v1's cpuacct, memory and blkio)");
    CHECK(read_cgroup("/no/such/cgroup").error() ==
          "no cgroup '/no/such/cgroup' under /sys/fs/cgroup (looked in the v2 hierarchy and in v1's cpuacct, memory and blkio)");
}
