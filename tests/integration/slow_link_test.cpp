// Master and workers over a link with delay and partitions (a relay on loopback that holds
// every byte for a while, and cuts and refuses connections): a worker that waited longer than
// its master timeout still joins, one cut off rejoins when the link heals and gets its users
// back, and one cut off for good stops its users before the master gives them to others, its
// data gap spanning what it took with it.
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <regex>
#include <thread>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"
#include "tests/integration/tcp_proxy.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A loopback port nobody listens on now, for a master to bind later.
int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

std::string scenario(const temp_dir& dir, const demo_target& target) {
    const auto path = dir.file("s.yaml");
    write_file(path, "host: " + target.url() + "\nuser_classes:\n  - wait_time: {constant: 20ms}\n    tasks: [{path: /ok}]\n");
    return path;
}

std::unique_ptr<child_process> worker_via(int port, const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {STAMPEDE_BIN, "worker", "--master", "127.0.0.1:" + std::to_string(port), "--threads",
                                     "1", "--name", name};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<child_process>(args);
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// The time of day of the first log line holding `what`, in milliseconds ("[... 12:34:56.789]").
std::int64_t logged_at(const std::string& log, const std::string& what) {
    const auto at = log.find(what);
    REQUIRE(at != std::string::npos);
    const auto line_start = log.rfind('\n', at) == std::string::npos ? 0 : log.rfind('\n', at) + 1;
    std::smatch m;
    const auto line = log.substr(line_start, at - line_start);
    REQUIRE(std::regex_search(line, m, std::regex(R"((\d\d):(\d\d):(\d\d)\.(\d\d\d)\])")));
    return ((std::stoll(m[1]) * 60 + std::stoll(m[2])) * 60 + std::stoll(m[3])) * 1000 + std::stoll(m[4]);
}

}  // namespace

TEST_CASE("a worker that waited longer than its master timeout joins over a slow link", "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    const int port = free_port();
    tcp_proxy link(port);
    link.set_delay(15ms);  // a 30 ms round trip
    // The worker first: it hears no master for longer than its timeout before one starts.
    auto worker = worker_via(link.port(), "early", {"--master-timeout", "1s"});
    std::this_thread::sleep_for(2500ms);
    child_process master({STAMPEDE_BIN, "master", "--headless", "-f", scenario(dir, target), "--bind",
                          "127.0.0.1:" + std::to_string(port), "-u", "2", "-r", "100", "-t", "2s",
                          "--expect-workers-max-wait", "10s", "--json", dir.file("r.json")});
    const auto code = master.wait(30s);
    INFO(master.err() << worker->err());
    CHECK(code == 0);
    CHECK(worker->wait(10s) == 0);
    CHECK(count_of(master.err(), " joined from ") == 1);  // once, not a cycle of joins and closes
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
}

TEST_CASE("a worker cut off and rejoined over a slow link gets its users back, every count kept",
          "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target), "-u", "2", "-r", "100", "-t", "10s",
                                "--expect-workers-max-wait", "10s", "--json", dir.file("r.json")}, port);
    tcp_proxy link(port);
    link.set_delay(15ms);
    auto worker = worker_via(link.port(), "cut", {"--master-timeout", "1s"});
    std::this_thread::sleep_for(2500ms);
    link.set_refusing(true);  // a partition of 4 s: the master takes the worker for lost
    link.cut();
    std::this_thread::sleep_for(4s);
    link.set_refusing(false);
    const auto code = master->wait(30s);
    INFO(master->err() << worker->err());
    CHECK(code == 0);
    CHECK(worker->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    std::vector<std::string> events;
    for (const auto& e : result["events"]) events.push_back(e["type"]);
    CHECK(std::count(events.begin(), events.end(), "worker_lost") == 1);
    CHECK(std::count(events.begin(), events.end(), "worker_reconnected") == 1);  // once, and it stayed
    CHECK(result["workers"][0]["users"][0] == 2);  // its users back
    CHECK(result["complete"] == true);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
}

TEST_CASE("a worker cut off for good stops its users before the master gives them away, its gap spanning until then",
          "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target), "--expect-workers", "2", "-u", "4", "-r", "100", "-t", "8s",
                                "--expect-workers-max-wait", "10s", "--json", dir.file("r.json")}, port);
    tcp_proxy link(port);
    link.set_delay(5ms);
    auto kept = start_worker(port, "kept", {"--master-timeout", "2s"});
    auto cut = worker_via(link.port(), "cut", {"--master-timeout", "2s"});
    REQUIRE(master->wait_for_output("Starting", 10s));
    std::this_thread::sleep_for(2500ms);
    link.set_refusing(true);
    link.cut();
    const auto code = master->wait(30s);
    cut->send(SIGINT);
    cut->wait(10s);
    INFO(master->err() << cut->err());
    CHECK(code == 0);
    // Its own timeout stopped its users before the master took it for lost and moved them.
    const auto stopped = logged_at(cut->err(), "no word from the master for 2s: stopping all users");
    const auto lost = logged_at(master->err(), "lost: silent for");
    CHECK(stopped < lost);
    const auto result = json::parse(read_file(dir.file("r.json")));
    REQUIRE(result["data_gaps"].size() == 1);
    const auto& gap = result["data_gaps"][0];
    CHECK(gap["worker"].get<std::string>().starts_with("cut"));
    // What the target served beyond the result is what the cut worker did after its last
    // snapshot arrived, and the gap's estimate says about that much.
    const auto missing = static_cast<double>(target.served() - result["totals"]["requests"].get<std::uint64_t>());
    CHECK(missing > 0);
    CHECK(gap["estimated_missing_requests"].get<double>() == Approx(missing).epsilon(0.35));
    CHECK(gap["to"].get<double>() - gap["from"].get<double>() > 1.5);  // until its 2 s timeout, not its last word
}
