// A process and a cgroup read as watched sources on this machine: a process's CPU a second and
// its memory, a process that exits (a failure, no values) and one started in its place (found
// again through its pid file, its rates starting over), and a cgroup that does not exist (not
// ready, with the reason).
#include "watch/resource_source.hpp"

#include "watch/container_lookup.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

using namespace stampede::watch;
using namespace std::chrono_literals;

namespace {

// A child that spins until killed: a process to watch.
pid_t spinning_child() {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        volatile unsigned long x = 0;
        for (;;) x = x + 1;
    }
    return pid;
}

void end(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

void write_pid(const std::string& file, pid_t pid) {
    std::ofstream out(file, std::ios::trunc);
    out << pid << "\n";
}

}  // namespace

TEST_CASE("a process is read as CPU a second and memory, found again through its pid file when it restarts", "[watch]") {
    const std::string file = "/tmp/stampede-watch-" + std::to_string(getpid()) + ".pid";
    auto child = spinning_child();
    write_pid(file, child);
    resource_source source("svc", process_target{0, file, {}});
    REQUIRE(source.ready().ok());
    REQUIRE(source.series().size() == 4);
    CHECK(source.series()[0].name == "svc.cpu");
    CHECK(source.series()[1].unit == "B");
    auto at = std::chrono::steady_clock::now();
    CHECK_FALSE(source.read(at).values[0]);  // a rate needs two readings
    std::this_thread::sleep_for(500ms);
    auto busy = source.read(at += 500ms);
    REQUIRE_FALSE(busy.failure);
    REQUIRE(busy.values[0]);
    CHECK(*busy.values[0] > 0.3);  // it spins on a core (the machine is shared: not all of it)
    CHECK(*busy.values[0] < 1.5);
    REQUIRE(busy.values[1]);
    CHECK(*busy.values[1] > 0);

    end(child);
    const auto gone = source.read(at += 500ms);
    REQUIRE(gone.failure);
    CHECK_FALSE(gone.values[1]);

    child = spinning_child();
    write_pid(file, child);
    const auto back = source.read(at += 500ms);
    CHECK_FALSE(back.failure);
    CHECK_FALSE(back.values[0]);  // a new process: its CPU counts from its own start
    CHECK(back.values[1]);
    std::this_thread::sleep_for(300ms);
    CHECK(source.read(at += 300ms).values[0]);
    end(child);
    std::remove(file.c_str());
}

TEST_CASE("a cgroup that does not exist is not ready, and says so", "[watch]") {
    resource_source source("nothing", cgroup_target{"no/such/stampede-cgroup"});
    const auto ready = source.ready();
    REQUIRE_FALSE(ready.ok());
    CHECK(ready.error().find("no/such/stampede-cgroup") != std::string::npos);
    CHECK(source.label() == "cgroup nothing (no/such/stampede-cgroup)");
}

TEST_CASE("a container that no runtime knows is not ready, and says what each runtime said", "[watch]") {
    resource_source source("db", container_target{"stampede-no-such-container"});
    const auto ready = source.ready();
    REQUIRE_FALSE(ready.ok());
    CHECK(ready.error().find("no container 'stampede-no-such-container' (podman: ") == 0);
    CHECK(source.label() == "container db (stampede-no-such-container)");
}

TEST_CASE("a process's cgroup is read from /proc as the kernel writes it", "[watch]") {
    const auto mine = process_cgroup(getpid());
    REQUIRE(mine.ok());
    CHECK(mine->front() == '/');
    CHECK(read_cgroup(*mine).ok());  // the path it gives is one a cgroup probe reads
    CHECK(process_cgroup(4194304).error() == "process 4194304 has exited");
}
