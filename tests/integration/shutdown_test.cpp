// SIGINT and SIGTERM at the moments a run is not yet running: a master waiting for its
// workers, a worker waiting for its master, a master while its users are still spawning. Each
// ends promptly with its documented code; a run that started writes every result file.
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
        std::this_thread::sleep_for(500ms);
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
