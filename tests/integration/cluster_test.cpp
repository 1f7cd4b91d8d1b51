// The cluster as users run it: a master process, worker processes, the demo target, real gRPC
// on loopback; workers killed, masters killed, links cut.
#include <signal.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/process.hpp"
#include "tests/integration/tcp_proxy.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const char* two_classes = R"(
user_classes:
  - name: Writer
    weight: 2
    wait_time: {constant: 20ms}
    tasks:
      - {name: write, method: POST, path: /v1/opscore/agent/a/state, json: {x: 1}}
  - name: Reader
    weight: 1
    wait_time: {constant: 20ms}
    tasks:
      - {name: read, path: /v1/opscore/agent/a/state}
)";

std::string write_scenario(const temp_dir& dir, const demo_target& target) {
    const auto path = dir.file("cluster.yaml");
    write_file(path, "host: " + target.url() + "\n" + two_classes);
    return path;
}



double unix_seconds(const std::string& iso) {
    std::tm t{};
    int ms = 0;
    std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min,
                &t.tm_sec, &ms);
    t.tm_year -= 1900;
    t.tm_mon -= 1;
    return static_cast<double>(timegm(&t)) + ms / 1000.0;
}

double now_unix() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<std::unique_ptr<child_process>> start_workers(int port, int count, std::vector<std::string> extra = {}) {
    std::vector<std::unique_ptr<child_process>> workers;
    for (int i = 1; i <= count; ++i) workers.push_back(start_worker(port, "w" + std::to_string(i), extra));
    return workers;
}

json worker_named(const json& result, const std::string& name) {
    for (const auto& w : result["workers"])
        if (w["name"] == name) return w;
    FAIL("no worker " << name);
    return {};
}

}  // namespace

TEST_CASE("master and three workers: totals equal what the target served", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--expect-workers", "3", "-u", "6", "-r", "100",
                                "-t", "3s", "--json", dir.file("r.json")},
                               port);
    auto workers = start_workers(port, 3);
    const auto code = master->wait(30s);
    INFO(master->out() << master->err());
    REQUIRE(code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto served = target.served();
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == served);
    std::uint64_t counted = 0;
    std::vector<int> per_class = {0, 0};
    for (int i = 1; i <= 3; ++i) {
        auto& w = *workers[static_cast<std::size_t>(i - 1)];
        REQUIRE(w.wait(10s) == 0);  // the master ended the run: workers exit 0
        const auto record = worker_named(result, "w" + std::to_string(i));
        CHECK(record["requests"].get<std::uint64_t>() == counted_by(w));
        CHECK(record["threads"] == 1);
        CHECK(record["users"][0].get<int>() + record["users"][1].get<int>() == 2);  // 6 users, 3 equal workers
        per_class[0] += record["users"][0].get<int>();
        per_class[1] += record["users"][1].get<int>();
        counted += counted_by(w);
    }
    CHECK(counted == served);
    CHECK(per_class == std::vector<int>{4, 2});  // weights 2:1
    int joined = 0;
    for (const auto& e : result["events"]) joined += e["type"] == "worker_joined";
    CHECK(joined == 3);
}

TEST_CASE("a killed worker is marked lost and its users move to the others", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--expect-workers", "3", "-u", "6", "-r", "100",
                                "-t", "7s", "--json", dir.file("k.json")},
                               port);
    auto workers = start_workers(port, 3, {"--master-timeout", "1s"});
    REQUIRE(master->wait_for_output("All users spawned", 10s));
    std::this_thread::sleep_for(500ms);
    workers[1]->send(SIGKILL);
    const double killed_at = now_unix();
    REQUIRE(master->wait(30s) == 0);
    INFO(master->out() << master->err());
    const auto result = json::parse(read_file(dir.file("k.json")));
    const double start = unix_seconds(result["start"]);
    bool lost = false;
    for (const auto& e : result["events"]) {
        if (e["type"] != "worker_lost") continue;
        lost = true;
        CHECK(e["detail"].get<std::string>().rfind("w2", 0) == 0);
        const double detected_after = start + e["time"].get<double>() - killed_at;
        // Its own --master-timeout 1s would have stopped its users within 1 s + a snapshot interval
        // + 0.5 s of its last word: the heartbeat timeout, 3 s, is longer, so within 3 s + a tick.
        CHECK(detected_after < 3.6);
    }
    CHECK(lost);
    CHECK(worker_named(result, "w2")["state"] == "lost");
    // Users back to 6 on the two survivors.
    const auto& history = result["history"];
    CHECK(history[history.size() - 1]["users"] == 6);
    CHECK(worker_named(result, "w1")["users"][0].get<int>() + worker_named(result, "w1")["users"][1].get<int>() == 3);
    CHECK(result["totals"]["failures"] == 0);
    // What w2 counted after its last snapshot that arrived is missing, and the result says so:
    // which worker, when, and a bound that covers the shortfall against what the target served.
    REQUIRE(result["data_gaps"].size() == 1);
    const auto& gap = result["data_gaps"][0];
    CHECK(gap["worker"].get<std::string>().rfind("w2", 0) == 0);
    CHECK(gap["reason"].get<std::string>().find("lost at") != std::string::npos);
    CHECK(gap["fails_run"] == false);
    CHECK(result["complete"] == true);
    const double span = gap["to"].get<double>() - gap["from"].get<double>();
    CHECK(span >= 0);
    CHECK(span < 3.5);  // its last interval, and its master timeout: a death is not told from a partition
    const auto served = target.served();
    const auto total = result["totals"]["requests"].get<std::uint64_t>();
    CHECK(total <= served);
    // w2 ran 2 users at about 45 requests a second each: the estimate is of that order.
    CHECK(served - total <= gap["estimated_missing_requests"].get<std::uint64_t>() + 20);
    CHECK(master->out().find("Counts that may be missing from this result:") != std::string::npos);
}

TEST_CASE("a master that was itself paused does not mark its workers lost", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--expect-workers", "2", "-u", "4", "-r", "100",
                                "-t", "10s", "--json", dir.file("p.json")},
                               port);
    // Workers that would wait out the pause: the master's judgement is what is tested.
    auto workers = start_workers(port, 2, {"--master-timeout", "20s"});
    REQUIRE(master->wait_for_output("All users spawned", 10s));
    master->send(SIGSTOP);
    std::this_thread::sleep_for(5s);  // past the 3 s heartbeat timeout
    master->send(SIGCONT);
    REQUIRE(master->wait(30s) == 0);
    INFO(master->out() << master->err());
    const auto result = json::parse(read_file(dir.file("p.json")));
    bool stalled = false;
    for (const auto& e : result["events"]) {
        CHECK(e["type"] != "worker_lost");
        stalled = stalled || e["type"] == "master_stalled";
    }
    CHECK(stalled);
    CHECK(result["data_gaps"].empty());
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
}

TEST_CASE("workers stop loading when their master dies, and keep trying to reconnect", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--expect-workers", "2", "-u", "4", "-r", "100",
                                "-t", "60s"},
                               port);
    auto w1 = start_worker(port, "w1");
    auto w2 = start_worker(port, "w2");
    REQUIRE(master->wait_for_output("All users spawned", 10s));
    master->send(SIGKILL);
    master->wait(5s);
    const auto killed = std::chrono::steady_clock::now();
    std::this_thread::sleep_until(killed + 5500ms);
    const auto served = target.served();
    std::this_thread::sleep_for(1s);
    CHECK(target.served() == served);  // nobody loads the target any more
    CHECK(w1->running());
    CHECK(w2->running());
    CHECK(w1->err().find("stopping all users") != std::string::npos);
    CHECK(w1->err().find("reconnecting") != std::string::npos);
    w1->send(SIGTERM);
    w2->send(SIGTERM);
    CHECK(w1->wait(10s) == 5);
    CHECK(w2->wait(10s) == 5);
}

// The master paces its acknowledgements and pings by what each worker's hello says it
// tolerates: a worker with a short master timeout hears from it often enough to keep loading.
TEST_CASE("a worker with a short --master-timeout keeps running under a live master", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--expect-workers", "1", "-u", "3", "-r", "100",
                                "-t", "4s", "--json", dir.file("r.json")},
                               port);
    auto worker = start_worker(port, "w1", {"--master-timeout", "1s"});
    REQUIRE(master->wait(30s) == 0);
    REQUIRE(worker->wait(10s) == 0);
    INFO(worker->err());
    CHECK(worker->err().find("no word from the master") == std::string::npos);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == counted_by(*worker));
}

TEST_CASE("a worker cut off and restored: no request lost or counted twice", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--expect-workers", "2", "-u", "4", "-r", "100",
                                "-t", "8s", "--json", dir.file("p.json")},
                               port);
    tcp_proxy proxy(port);
    auto direct = start_worker(port, "direct");
    setenv("SPDLOG_LEVEL", "debug", 1);
    auto flaky = start_worker(proxy.port(), "flaky");
    unsetenv("SPDLOG_LEVEL");
    REQUIRE(master->wait_for_output("All users spawned", 10s));
    std::this_thread::sleep_for(1500ms);
    proxy.set_refusing(true);
    proxy.cut();  // in flight: snapshots sent but not acknowledged, or not sent at all
    std::this_thread::sleep_for(1500ms);
    proxy.set_refusing(false);
    REQUIRE(master->wait(30s) == 0);
    REQUIRE(direct->wait(10s) == 0);
    const auto flaky_code = flaky->wait(10s);
    INFO(master->out() << master->err() << flaky->err());
    REQUIRE(flaky_code == 0);
    const auto result = json::parse(read_file(dir.file("p.json")));
    const auto total = result["totals"]["requests"].get<std::uint64_t>();
    CHECK(total == counted_by(*direct) + counted_by(*flaky));
    CHECK(worker_named(result, "flaky")["requests"].get<std::uint64_t>() == counted_by(*flaky));
    CHECK(total == target.served());
    bool reconnected = false;
    for (const auto& e : result["events"]) reconnected = reconnected || e["type"] == "worker_reconnected";
    CHECK(reconnected);
}

TEST_CASE("the control channel refuses a missing or wrong token", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", write_scenario(dir, target), "--token", "s3cret", "-u", "1", "-t", "1s",
                                "--expect-workers-max-wait", "4s"},
                               port);
    auto anonymous = start_worker(port, "anonymous");
    CHECK(anonymous->wait(10s) == 4);
    CHECK(anonymous->err().find("this master requires a token") != std::string::npos);
    auto wrong = start_worker(port, "guesser", {"--token", "guess"});
    CHECK(wrong->wait(10s) == 4);
    CHECK(wrong->err().find("wrong token") != std::string::npos);
    // Nobody valid came: the master gives up with exit code 3.
    CHECK(master->wait(15s) == 3);
    CHECK(master->err().find("expected 1 worker(s), 0 connected within 4s") != std::string::npos);
    CHECK(master->err().find("refused worker anonymous from ipv4:127.0.0.1:") != std::string::npos);
    CHECK(master->err().find("refused worker guesser from ipv4:127.0.0.1:") != std::string::npos);
}

TEST_CASE("a worker with no master gives up after --master-wait", "[cluster]") {
    auto worker = std::make_unique<child_process>(std::vector<std::string>{
        STAMPEDE_BIN, "worker", "--master", "127.0.0.1:1", "--master-wait", "1s"});
    CHECK(worker->wait(10s) == 3);
    CHECK(worker->err().find("no master at 127.0.0.1:1 within 1s") != std::string::npos);
}

TEST_CASE("a second master on a busy port is refused", "[cluster]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto first = start_master({"-f", write_scenario(dir, target), "-t", "1s", "--expect-workers-max-wait", "10s"}, port);
    auto second = run_stampede({"master", "-f", dir.file("cluster.yaml"), "--bind", "127.0.0.1:" + std::to_string(port),
                                "--expect-workers-max-wait", "1s"});
    CHECK(second.code == 2);
    CHECK(second.err.find("--bind: cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
}

TEST_CASE("a worker that cannot run the scenario says why, and its master ends the run with the reason", "[cluster]") {
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: http://no-such-host.invalid:8080\nuser_classes:\n  - tasks: [{path: /}]\n");
    int port = 0;
    auto master = start_master({"-f", dir.file("s.yaml"), "-t", "30s"}, port);
    auto worker = start_worker(port, "w1");
    const auto worker_code = worker->wait(15s);
    const auto master_code = master->wait(15s);
    REQUIRE(worker_code);
    REQUIRE(master_code);
    CHECK(*worker_code == 6);
    CHECK(worker->err().find("cannot run the scenario: cannot resolve host 'no-such-host.invalid'") != std::string::npos);
    CHECK(*master_code == 2);
    CHECK(master->err().find("error: worker w1") != std::string::npos);
    CHECK(master->err().find("cannot resolve host") != std::string::npos);
}

TEST_CASE("a scenario whose data files pass 4 MiB reaches in-process and remote workers", "[cluster]") {
    demo_target target;
    temp_dir dir;
    std::string csv = "query\n";
    while (csv.size() < 5u << 20) csv += "a-question-that-is-long-enough-to-fill-the-file-quickly-" + std::to_string(csv.size()) + "\n";
    write_file(dir.file("q.csv"), csv);
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
data: {q: q.csv}
user_classes:
  - wait_time: 50ms
    tasks: [{name: ask, path: "/health?q={{ data.q.query }}"}]
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--headless", "-u", "1", "-r", "10", "-t", "1s",
                             "--json", dir.file("r.json")}, 30s);
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(json::parse(read_file(dir.file("r.json")))["totals"]["requests"].get<std::uint64_t>() > 5);

    int port = 0;
    auto master = start_master({"-f", dir.file("s.yaml"), "-u", "1", "-r", "10", "-t", "1s", "--json", dir.file("m.json")}, port);
    auto worker = start_worker(port, "w1");
    REQUIRE(master->wait(30s) == 0);
    CHECK(json::parse(read_file(dir.file("m.json")))["totals"]["requests"].get<std::uint64_t>() > 5);
}
