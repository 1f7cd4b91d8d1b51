// SIGINT and SIGTERM at each moment of a run: a master waiting for its workers, a worker
// waiting for its master, a master while its users spawn, workers while theirs spawn and while
// they run, a second signal while requests in flight finish, and signals while the master
// writes its results. Each ends promptly with its
// documented code; a run that started writes every result file, with every count sent.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string scenario(const temp_dir& dir, const std::string& host) {
    write_file(dir.file("s.yaml"), "host: " + host + "\nuser_classes:\n  - tasks:\n      - {path: /ok, think: 100ms}\n");
    return dir.file("s.yaml");
}

// Everything a writer puts into the FIFO at `path`, read until it closes it; nullopt if it
// does not within `timeout`. The writer must already be waiting to open it.
std::optional<std::string> drain_fifo(const std::string& path, std::chrono::milliseconds timeout) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[65536];
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        ::poll(&p, 1, 100);
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) text.append(buffer, static_cast<std::size_t>(n));
        if (n == 0) {
            ::close(fd);
            return text;
        }
    }
    ::close(fd);
    return std::nullopt;
}

}  // namespace

TEST_CASE("a master waiting for its workers ends at SIGINT or SIGTERM, with no run to report", "[shutdown]") {
    for (int signal : {SIGINT, SIGTERM}) {
        INFO("signal " << signal);
        temp_dir dir;
        int port = 0;
        auto master = start_master({"-f", scenario(dir, "http://127.0.0.1:9"), "--expect-workers", "2", "--json",
                                    dir.file("r.json")},
                                   port);
        master->send(signal);
        const auto code = master->wait(5s);
        INFO(master->out() << master->err());
        REQUIRE(code);
        CHECK(*code == 130);
        CHECK(master->err().find("interrupted before the run started") != std::string::npos);
    }
}

TEST_CASE("a worker waiting for a master that is not there ends at SIGTERM", "[shutdown]") {
    for (int signal : {SIGINT, SIGTERM}) {
        INFO("signal " << signal);
        // Port 1 on loopback refuses: the worker keeps trying until told to stop.
        auto worker = start_worker(1, "w");
        REQUIRE(worker->running());
        std::this_thread::sleep_for(2s);  // past its start (slower under the sanitizers), into its attempts
        worker->send(signal);
        const auto code = worker->wait(3s);  // not the 5 s a connection attempt may wait
        INFO(worker->out() << worker->err());
        REQUIRE(code);
        CHECK(*code == 5);
        CHECK(worker->out().find("worker counted 0 request(s)") != std::string::npos);
    }
}

TEST_CASE("a master stopped while its users spawn writes every result, its workers counted", "[shutdown]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    // 40 users at 4 per second: the stop comes mid-ramp.
    auto master = start_master({"-f", scenario(dir, target.url()), "-u", "40", "-r", "4", "-t", "10m", "--json",
                                dir.file("r.json"), "--html", dir.file("r.html")},
                               port);
    auto worker = start_worker(port, "w1");
    REQUIRE(master->wait_for_output("Starting 40 user(s)", 10s));
    std::this_thread::sleep_for(1500ms);
    master->send(SIGTERM);
    const auto code = master->wait(15s);
    INFO(master->out() << master->err());
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(worker->wait(10s) == 0);  // the master ended the run
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["interrupted"] == true);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    CHECK(result["load"]["users"] == 40);
    CHECK(!read_file(dir.file("r.html")).empty());
}

TEST_CASE("a second signal while requests in flight finish forces the exit: master and worker", "[shutdown]") {
    demo_target target({"--latency", "ok=20s"});  // every request hangs past the stop
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target.url()), "-u", "2", "-r", "100", "-t", "10m",
                                "--expect-workers", "2", "--stop-timeout", "30s", "--json", dir.file("r.json")},
                               port);
    auto worker = start_worker(port, "w1");
    auto other = start_worker(port, "w2");  // keeps a request of its own in flight for the master's stop
    REQUIRE(master->wait_for_output("All users spawned", 10s));
    std::this_thread::sleep_for(500ms);

    worker->send(SIGTERM);  // the worker lets its requests finish for 5 s...
    std::this_thread::sleep_for(300ms);
    REQUIRE(worker->running());
    worker->send(SIGTERM);  // ...unless told twice
    const auto worker_code = worker->wait(2s);
    INFO(worker->err());
    REQUIRE(worker_code);
    CHECK(*worker_code == 130);
    CHECK(worker->err().find("second interrupt: exiting without waiting") != std::string::npos);

    master->send(SIGTERM);  // the master would wait its --stop-timeout of 30 s for w2's request...
    std::this_thread::sleep_for(1s);
    REQUIRE(master->running());
    master->send(SIGTERM);
    const auto master_code = master->wait(2s);
    INFO(master->out() << master->err());
    REQUIRE(master_code);
    CHECK(*master_code == 130);
}

TEST_CASE("a worker whose requests outlast the stop keeps talking to its master while they finish", "[shutdown]") {
    demo_target target({"--latency", "ok=12s"});  // each request outlasts the heartbeat timeout by far
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target.url()), "-u", "2", "-r", "100", "-t", "10m",
                                "--stop-timeout", "30s", "--json", dir.file("r.json")},
                               port);
    auto worker = start_worker(port, "w1");
    REQUIRE(master->wait_for_output("All users spawned", 10s));
    std::this_thread::sleep_for(1s);
    master->send(SIGTERM);
    const auto code = master->wait(20s);
    INFO(master->out() << master->err());
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(worker->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["complete"] == true);  // the worker was not taken for lost while it stopped
    for (const auto& e : result["events"]) CHECK(e["type"] != "worker_lost");
    CHECK(result["cancelled_requests"] == 0);  // the requests in flight finished within the stop
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    CHECK(target.served() >= 2);
}

TEST_CASE("workers signalled while their users spawn and while they run leave with every count sent", "[shutdown]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    // 30 users at 5 per second over three workers: w1 leaves mid-ramp, w2 once all run.
    auto master = start_master({"-f", scenario(dir, target.url()), "--expect-workers", "3", "-u", "30", "-r", "5",
                                "-t", "14s", "--json", dir.file("r.json")},
                               port);
    auto w1 = start_worker(port, "w1");
    auto w2 = start_worker(port, "w2");
    auto w3 = start_worker(port, "w3");
    REQUIRE(master->wait_for_output("Starting 30 user(s)", 10s));
    std::this_thread::sleep_for(2s);
    w1->send(SIGTERM);
    const auto w1_code = w1->wait(10s);
    REQUIRE(master->wait_for_output("All users spawned", 15s));
    std::this_thread::sleep_for(1s);
    w2->send(SIGINT);
    const auto w2_code = w2->wait(10s);
    const auto code = master->wait(30s);
    INFO(master->out() << master->err() << w1->err() << w2->err());
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(w1_code == 5);  // a worker stopped by a signal says so
    CHECK(w2_code == 5);
    CHECK(w3->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    // What the leavers counted reached the master: the totals are all the target served.
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    CHECK(result["data_gaps"].empty());
    CHECK(counted_by(*w1) + counted_by(*w2) + counted_by(*w3) == target.served());
}

TEST_CASE("a signal while the master writes its results lets it finish them, a second exits at once", "[shutdown]") {
    demo_target target;
    for (const bool twice : {false, true}) {
        INFO((twice ? "two signals" : "one signal"));
        temp_dir dir;
        // The JSON result is a FIFO: the master waits to write it until the test reads it.
        REQUIRE(::mkfifo(dir.file("r.json").c_str(), 0600) == 0);
        int port = 0;
        auto master = start_master({"-f", scenario(dir, target.url()), "-u", "2", "-r", "100", "-t", "1s", "--csv",
                                    dir.file("r"), "--json", dir.file("r.json"), "--html", dir.file("r.html")},
                                   port);
        auto worker = start_worker(port, "w1");
        REQUIRE(master->wait_for_output("wrote " + dir.file("r") + "_*.csv", 20s));
        master->send(SIGINT);
        std::this_thread::sleep_for(300ms);
        INFO(master->out() << master->err());
        REQUIRE(master->running());  // still waiting to write the JSON
        if (twice) {
            master->send(SIGTERM);
            const auto code = master->wait(2s);
            REQUIRE(code);
            CHECK(*code == 130);
            CHECK(master->err().find("second interrupt: exiting without waiting") != std::string::npos);
            CHECK(::access(dir.file("r.html").c_str(), F_OK) != 0);  // not written: the exit did not wait
            continue;
        }
        const auto text = drain_fifo(dir.file("r.json"), 10s);
        REQUIRE(text);
        const auto result = json::parse(*text);
        const auto code = master->wait(10s);
        REQUIRE(code);
        CHECK(*code == 0);  // the run itself was not interrupted
        CHECK(master->err().find("finishing its results") != std::string::npos);
        CHECK(result["interrupted"] == false);
        CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
        CHECK(!read_file(dir.file("r.html")).empty());
        CHECK(worker->wait(10s) == 0);
    }
}
