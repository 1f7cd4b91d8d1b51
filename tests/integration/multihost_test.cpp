// Several hosts on one machine: the demo target, the master and two workers each in a network
// namespace of its own, on a private bridge, talking over real addresses. Needs root and
// iproute2; elsewhere it exits 77, which ctest reports as skipped, with the reason.
#define CATCH_CONFIG_RUNNER
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A bridge in its own namespace and one namespace per host, removed at scope exit.
class test_network {
public:
    test_network() : prefix_("stp" + std::to_string(getpid() % 100000)) {
        run("ip netns add " + ns("br"));
        run("ip netns exec " + ns("br") + " ip link add br0 type bridge");
        run("ip netns exec " + ns("br") + " ip link set br0 up");
    }
    ~test_network() {
        for (const auto& n : namespaces_) std::system(("ip netns del " + n + " 2>/dev/null").c_str());
    }
    // Adds host `name` at 10.77.77.`octet`; returns its namespace.
    std::string add_host(const std::string& name, int octet) {
        const auto host_ns = ns(name);
        const auto a = prefix_ + name + "a", b = prefix_ + name + "b";
        run("ip netns add " + host_ns);
        run("ip link add " + a + " type veth peer name " + b);
        run("ip link set " + a + " netns " + host_ns);
        run("ip link set " + b + " netns " + ns("br"));
        run("ip netns exec " + ns("br") + " ip link set " + b + " master br0 up");
        run("ip netns exec " + host_ns + " ip addr add 10.77.77." + std::to_string(octet) + "/24 dev " + a);
        run("ip netns exec " + host_ns + " ip link set " + a + " up");
        run("ip netns exec " + host_ns + " ip link set lo up");
        return host_ns;
    }

private:
    std::string ns(const std::string& name) {
        const auto full = prefix_ + name;
        if (std::find(namespaces_.begin(), namespaces_.end(), full) == namespaces_.end()) namespaces_.push_back(full);
        return full;
    }
    static void run(const std::string& command) {
        if (std::system((command + " 2>&1").c_str()) != 0) FAIL("failed: " << command);
    }
    std::string prefix_;
    std::vector<std::string> namespaces_;
};

std::vector<std::string> in_ns(const std::string& ns, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"/usr/bin/env", "ip", "netns", "exec", ns});
    return argv;
}

}  // namespace

TEST_CASE("master, two workers and the target on four hosts", "[multihost]") {
    test_network net;
    const auto target_ns = net.add_host("t", 10);
    const auto master_ns = net.add_host("m", 20);
    const auto w1_ns = net.add_host("1", 31);
    const auto w2_ns = net.add_host("2", 32);
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: http://10.77.77.10:8080\nuser_classes:\n  - wait_time: {constant: 10ms}\n"
                                   "    tasks:\n      - {name: state, method: POST, path: /v1/opscore/agent/x/state, json: {a: 1}}\n");

    child_process target(in_ns(target_ns, {DEMO_TARGET_BIN, "--host", "10.77.77.10", "--port", "8080"}));
    REQUIRE(target.wait_for_output("listening on 10.77.77.10:8080", 10s));
    const std::vector<std::string> master_args = {STAMPEDE_BIN, "master", "--headless", "-f", dir.file("s.yaml"), "--bind", "10.77.77.20:5557",
                                                  "--expect-workers", "2", "-u", "4", "-r", "100", "-t", "3s",
                                                  "--expect-workers-max-wait", "20s", "--json", dir.file("r.json")};
    // On a network address a master without a token does not start.
    child_process open_master(in_ns(master_ns, master_args));
    CHECK(open_master.wait(10s) == 2);
    CHECK(open_master.err().find("the control channel on 10.77.77.20:5557 (no --token, no mutual TLS)") != std::string::npos);
    auto with_token = master_args;
    with_token.insert(with_token.end(), {"--token", "multihost-token"});
    child_process master(in_ns(master_ns, with_token));
    REQUIRE(master.wait_for_output("Waiting for 2 worker(s) on 10.77.77.20:5557", 10s));
    child_process w1(in_ns(w1_ns, {STAMPEDE_BIN, "worker", "--master", "10.77.77.20:5557", "--threads", "1", "--name", "w1",
                                   "--token", "multihost-token"}));
    child_process w2(in_ns(w2_ns, {STAMPEDE_BIN, "worker", "--master", "10.77.77.20:5557", "--threads", "1", "--name", "w2",
                                   "--token", "multihost-token"}));
    const auto code = master.wait(60s);
    INFO(master.out() << master.err() << w1.err() << w2.err());
    REQUIRE(code == 0);
    CHECK(w1.wait(10s) == 0);
    CHECK(w2.wait(10s) == 0);

    child_process stats(in_ns(target_ns, {"/bin/bash", "-c",
        "exec 3<>/dev/tcp/10.77.77.10/8080; printf 'GET /__stats HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3"}));
    REQUIRE(stats.wait(10s) == 0);
    const auto response = stats.out();
    const auto served = json::parse(response.substr(response.find("\r\n\r\n") + 4))["served"].get<std::uint64_t>();
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(served > 100);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == served);
    REQUIRE(result["workers"].size() == 2);
    for (const auto& w : result["workers"]) CHECK(w["requests"].get<std::uint64_t>() > 0);
    CHECK(master.err().find("joined from ipv4:10.77.77.3") != std::string::npos);  // real addresses
}

TEST_CASE("a worker on a link that drops 45 % of its packets to the master: what happened to its link is in the result, no count lost in silence",
          "[multihost]") {
    test_network net;
    const auto target_ns = net.add_host("t", 10);
    const auto master_ns = net.add_host("m", 20);
    const auto worker_ns = net.add_host("1", 31);
    // Nearly every second packet between the worker and the master is lost: TCP retransmits,
    // backing off. (The target's link stays whole, so that what it served is what was counted.)
    for (const std::string rule : {"INPUT -s 10.77.77.20", "OUTPUT -d 10.77.77.20"})
        REQUIRE(std::system(("ip netns exec " + worker_ns + " iptables -A " + rule +
                             " -m statistic --mode random --probability 0.45 -j DROP").c_str()) == 0);
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: http://10.77.77.10:8080\nuser_classes:\n  - wait_time: {constant: 50ms}\n"
                                   "    tasks: [{path: /ok}]\n");
    child_process target(in_ns(target_ns, {DEMO_TARGET_BIN, "--host", "10.77.77.10", "--port", "8080"}));
    REQUIRE(target.wait_for_output("listening on 10.77.77.10:8080", 10s));
    child_process master(in_ns(master_ns, {STAMPEDE_BIN, "master", "--headless", "-f", dir.file("s.yaml"), "--bind",
                                           "10.77.77.20:5557", "--token", "lossy", "--expect-workers", "1", "-u", "2",
                                           "-r", "100", "-t", "20s", "--expect-workers-max-wait", "60s", "--json",
                                           dir.file("r.json")}));
    REQUIRE(master.wait_for_output("Waiting for 1 worker(s)", 10s));
    child_process worker(in_ns(worker_ns, {STAMPEDE_BIN, "worker", "--master", "10.77.77.20:5557", "--threads", "1",
                                           "--name", "lossy", "--token", "lossy"}));
    const auto code = master.wait(150s);
    worker.send(SIGINT);
    worker.wait(20s);
    INFO(master.out() << master.err() << worker.err());
    REQUIRE((code == 0 || code == 4));
    const auto result = json::parse(read_file(dir.file("r.json")));
    REQUIRE(result["workers"].size() == 1);
    const auto& link = result["workers"][0]["link"];
    INFO(link.dump());
    std::size_t lost = 0, back = 0;
    for (const auto& e : result["events"]) {
        lost += e["type"] == "worker_lost";
        back += e["type"] == "worker_reconnected";
    }
    // Each time it was taken for lost, and came back, is counted with the silence that did it.
    CHECK(link["lost"].get<std::size_t>() == lost);
    CHECK(link["rejoined"].get<std::size_t>() == back);
    if (lost > 0) {
        CHECK(link["longest_silence"].get<double>() >= link["lost_after"].get<double>());
        CHECK(link["summary"].get<std::string>().find("taken for lost") != std::string::npos);
        CHECK(master.out().find("Workers' links to the master:") != std::string::npos);
    }
    // Whatever the loss did, the result says what is missing: complete and exact, or a gap.
    child_process stats(in_ns(target_ns, {"/bin/bash", "-c",
        "exec 3<>/dev/tcp/10.77.77.10/8080; printf 'GET /__stats HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3"}));
    REQUIRE(stats.wait(10s) == 0);
    const auto response = stats.out();
    const auto served = json::parse(response.substr(response.find("\r\n\r\n") + 4))["served"].get<std::uint64_t>();
    const auto counted = result["totals"]["requests"].get<std::uint64_t>();
    CHECK(counted > 0);
    if (result["complete"] == true && result["data_gaps"].empty())
        CHECK(counted + result["cancelled_requests"].get<std::uint64_t>() == served);
    else CHECK_FALSE(result["data_gaps"].empty());
    CHECK((code == 0) == (result["complete"] == true));
}

int main(int argc, char* argv[]) {
    if (geteuid() != 0 || std::system("ip netns list >/dev/null 2>&1") != 0) {
        std::cout << "skipped: network namespaces need root and iproute2 (ip netns)" << std::endl;
        return 77;
    }
    // Root inside a container is often not allowed to make one (mounting /run/netns is refused).
    const auto probe = "stpprobe" + std::to_string(getpid());
    if (std::system(("ip netns add " + probe + " >/dev/null 2>&1").c_str()) != 0) {
        std::cout << "skipped: this machine refuses to create a network namespace (ip netns add); "
                     "in a container, that takes privileges it was not given"
                  << std::endl;
        return 77;
    }
    std::system(("ip netns del " + probe + " >/dev/null 2>&1").c_str());
    return Catch::Session().run(argc, argv);
}
