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

TEST_CASE("counts resent after a partition land in the intervals they cover: the timeline, the stages and windowed thresholds",
          "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    const auto path = dir.file("s.yaml");
    // A threshold over a 2 s window: judged on counts still cut off, it would fail for lack of data.
    write_file(path, "host: " + target.url() +
                         "\nuser_classes:\n  - wait_time: {constant: 20ms}\n    tasks: [{path: /ok}]\n"
                         "thresholds:\n  - {expect: \"rps > 20\", window: 2s}\n");
    int port = 0;
    auto master = start_master({"-f", path, "--expect-workers", "2", "-u", "4", "-r", "100", "-t", "14s",
                                "--expect-workers-max-wait", "10s", "--json", dir.file("r.json")}, port);
    tcp_proxy link(port);
    // The workers go on loading through the cut (their master timeout is longer): only the
    // master is cut off, and hears of their counts when the link heals.
    auto a = worker_via(link.port(), "a", {"--master-timeout", "12s"});
    auto b = worker_via(link.port(), "b", {"--master-timeout", "12s"});
    REQUIRE(master->wait_for_output("Starting", 10s));
    std::this_thread::sleep_for(3s);
    link.set_refusing(true);
    link.cut();
    std::this_thread::sleep_for(6s);
    link.set_refusing(false);
    const auto code = master->wait(40s);
    INFO(master->err());
    CHECK(code == 0);
    CHECK(a->wait(10s) == 0);
    CHECK(b->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["complete"] == true);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    // The target was loaded evenly all along, and so is the timeline: no interval of nothing
    // during the cut, no interval of everything after it.
    std::vector<std::uint64_t> rows;
    for (const auto& n : result["timeline"]["requests"]) rows.push_back(n.get<std::uint64_t>());
    INFO(result["timeline"]["requests"].dump());
    REQUIRE(rows.size() >= 12);
    std::vector<std::uint64_t> middle(rows.begin() + 1, rows.end() - 1);  // the first and last rows are partial
    std::sort(middle.begin(), middle.end());
    const auto median = static_cast<double>(middle[middle.size() / 2]);
    CHECK(median > 50);
    CHECK(static_cast<double>(middle.front()) > median * 0.5);
    CHECK(static_cast<double>(middle.back()) < median * 1.5);
    // Each worker's series too.
    for (const auto& w : result["timeline"]["workers"]) {
        std::uint64_t sum = 0, peak = 0;
        for (const auto& n : w["requests"])
            if (!n.is_null()) sum += n.get<std::uint64_t>(), peak = std::max(peak, n.get<std::uint64_t>());
        CHECK(static_cast<double>(peak) < median);  // half the load each, no spike of resent counts
        CHECK(sum > 0);
    }
    // The windowed threshold judged the windows with their counts in, and passed.
    REQUIRE(result["thresholds"].size() == 1);
    CHECK(result["thresholds"][0]["passed"] == true);
}

TEST_CASE("on a control link too thin for every snapshot, snapshots merge instead of queueing: no worker lost, every count kept",
          "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    // 40 endpoints, each a row of every snapshot: more than 28 kbit/s carries each second.
    std::string tasks;
    for (int i = 0; i < 40; ++i) tasks += "      - {name: endpoint-" + std::to_string(i) + ", path: /ok}\n";
    const auto path = dir.file("s.yaml");
    write_file(path, "host: " + target.url() + "\nuser_classes:\n  - wait_time: {constant: 20ms}\n    tasks:\n" + tasks);
    int port = 0;
    auto master = start_master({"-f", path, "--expect-workers", "3", "-u", "30", "-r", "100", "-t", "30s",
                                "--expect-workers-max-wait", "20s", "--json", dir.file("r.json")}, port);
    tcp_proxy link(port);
    std::vector<std::unique_ptr<child_process>> workers;
    for (const char* name : {"a", "b", "c"}) workers.push_back(worker_via(link.port(), name));
    REQUIRE(master->wait_for_output("Starting", 20s));
    // Their snapshots take about 5 KB/s; the link carries 3.5 KB/s, shared by the three.
    link.set_rate(3500);
    const auto code = master->wait(60s);
    link.set_rate(0);
    INFO(master->err());
    for (auto& w : workers) CHECK(w->wait(15s) == 0);
    CHECK(code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    std::vector<std::string> events;
    for (const auto& e : result["events"]) events.push_back(e["type"]);
    INFO(result["workers"].dump());
    CHECK(std::count(events.begin(), events.end(), "worker_lost") == 0);
    CHECK(result["complete"] == true);
    CHECK(result["data_gaps"].empty());
    // The snapshots shrank: each worker merged intervals, and said so.
    // Their counts arrived a few seconds late at most (5-7 s here), not queued for ever longer as
    // the link fell behind carrying every interval apart (10-16 s by the end of such a run).
    for (const auto& w : result["workers"]) {
        CHECK(w["link"]["merged_intervals"].get<int>() > 0);
        CHECK(w["link"]["longest_delay"].get<double>() < 9.0);
    }
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
}

TEST_CASE("a worker taken for lost on a stalled link and back says so in the result: how often, and why",
          "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target), "--expect-workers", "1", "-u", "2", "-r", "100", "-t", "16s",
                                "--expect-workers-max-wait", "10s", "--json", dir.file("r.json")}, port);
    tcp_proxy link(port);
    auto worker = worker_via(link.port(), "stalled", {"--master-timeout", "2s"});
    REQUIRE(master->wait_for_output("Starting", 10s));
    std::this_thread::sleep_for(2s);
    link.set_stalled(true);  // the connection stays open, nothing passes: TCP backing off
    std::this_thread::sleep_for(5s);
    link.set_stalled(false);
    const auto code = master->wait(40s);
    INFO(master->out() << master->err() << worker->err());
    CHECK(code == 0);
    CHECK(worker->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    REQUIRE(result["workers"].size() == 1);
    const auto& l = result["workers"][0]["link"];
    INFO(l.dump());
    CHECK(l["lost"] == 1);
    CHECK(l["rejoined"] == 1);
    CHECK(l["lost_after"].get<double>() == Approx(3.5));  // its 2 s master timeout, an interval and 0.5 s
    CHECK(l["longest_silence"].get<double>() >= 3.5);
    CHECK(l["summary"].get<std::string>().starts_with("taken for lost once (silent for 3.5s"));
    // The console says it too, beside the result.
    CHECK(master->out().find("Workers' links to the master:\n  worker stalled (") != std::string::npos);
    CHECK(result["complete"] == true);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
}

TEST_CASE("a worker the master cannot hear, though it hears the master, stops its users when the master takes it for lost",
          "[cluster][slow-link]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target), "--expect-workers", "1", "-u", "2", "-r", "100", "-t", "16s",
                                "--expect-workers-max-wait", "10s", "--json", dir.file("r.json")}, port);
    tcp_proxy link(port);
    auto worker = worker_via(link.port(), "one-way");
    REQUIRE(master->wait_for_output("Starting", 10s));
    std::this_thread::sleep_for(2s);
    link.set_upstream_stalled(true);  // the worker's words are held; the master's still arrive
    std::this_thread::sleep_for(9s);
    link.set_upstream_stalled(false);
    const auto code = master->wait(40s);
    INFO(master->err() << worker->err());
    CHECK(code == 0);
    CHECK(worker->wait(10s) == 0);
    // Its master timeout never ran out (it heard the master all along): the master's close of its
    // stream stopped its users, as the master gave them away.
    const auto lost = logged_at(master->err(), "lost: silent for");
    const auto stopped = logged_at(worker->err(), "the master closed this worker's stream: stopping all users");
    CHECK(stopped >= lost - 50);
    CHECK(stopped - lost < 1000);
    CHECK(worker->err().find("no word from the master") == std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["workers"][0]["link"]["lost"] == 1);
    CHECK(result["complete"] == true);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
}
