// Many hosts in one scenario: the fleet example over twenty-one listeners and the event-bus
// example over two, each host's counts equal to what its listener served.
#include <map>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Requests per host name in a result, summed over its endpoints.
std::map<std::string, std::uint64_t> requests_by_host(const json& result) {
    std::map<std::string, std::uint64_t> out;
    for (const auto& e : result["endpoints"]) out[e["host"].get<std::string>()] += e["requests"].get<std::uint64_t>();
    return out;
}

std::map<int, std::uint64_t> served_by_port(demo_target& target) {
    std::map<int, std::uint64_t> out;
    const auto stats = target.stats();  // kept: a range over a temporary's member would dangle
    for (const auto& l : stats["listeners"]) out[l["port"].get<int>()] = l["served"].get<std::uint64_t>();
    return out;
}

std::vector<std::string> port_flags(int count) {
    std::vector<std::string> flags;
    for (int i = 0; i < count; ++i) flags.insert(flags.end(), {"--port", "0"});
    return flags;
}

// The example's twenty agents, in the order its `hosts` lists them.
std::vector<std::string> fleet_agents() {
    std::vector<std::string> names;
    for (const auto& [group, agents] :
         std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"core", {"planner", "executor", "memory", "router", "scheduler", "retriever", "evaluator", "registry"}},
             {"security", {"auth", "audit", "secrets", "policy", "scanner", "firewall"}},
             {"creative", {"writer", "designer", "composer", "storyboard", "voice", "editor"}}})
        for (const auto& a : agents) names.push_back(group + "-" + a);
    return names;
}

// `stampede run` of the fleet example with each agent sent to its own listener of `target`
// (the orchestrator, the default host, to the first).
run_output run_fleet(demo_target& target, const temp_dir& dir, std::vector<std::string> extra) {
    const auto& ports = target.ports();
    std::vector<std::string> args = {"run", "-f", EXAMPLES_DIR "/fleet_health.yaml", "-u", "21", "-r", "100", "-t", "3s",
                                     "-H", "http://127.0.0.1:" + std::to_string(ports[0]), "--json", dir.file("r.json"),
                                     "--csv", dir.file("r")};
    const auto agents = fleet_agents();
    for (std::size_t i = 0; i < agents.size(); ++i)
        args.insert(args.end(), {"--host-url", agents[i] + "=http://127.0.0.1:" + std::to_string(ports[i + 1])});
    args.insert(args.end(), extra.begin(), extra.end());
    return run_stampede(args);
}

}  // namespace

TEST_CASE("the fleet example: twenty agents on twenty ports, each host's count is what its listener served", "[hosts]") {
    demo_target target(port_flags(20));  // with the helper's own: 21 listeners
    REQUIRE(target.ports().size() == 21);
    temp_dir dir;
    const auto run = run_fleet(target, dir, {});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);  // its thresholds passed
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["totals"]["failures"] == 0);
    const auto by_host = requests_by_host(result);
    const auto served = served_by_port(target);
    const auto agents = fleet_agents();
    CHECK(by_host.at("default") == served.at(target.ports()[0]));
    for (std::size_t i = 0; i < agents.size(); ++i) {
        INFO(agents[i]);
        CHECK(by_host.at(agents[i]) > 0);
        CHECK(by_host.at(agents[i]) == served.at(target.ports()[i + 1]));
    }
    CHECK(result["totals"]["requests"].get<std::uint64_t>() == target.served());
    // One name on twenty hosts is twenty rows: a host column on the console, the CSV's names.
    CHECK(run.out.find("Host") != std::string::npos);
    CHECK(run.out.find("security-audit") != std::string::npos);
    const auto csv = read_file(dir.file("r_stats.csv"));
    CHECK(csv.find("GET,[core-planner] /health,") != std::string::npos);
    CHECK(csv.find("POST,orchestrator chat,") != std::string::npos);
    CHECK(result["hosts"].size() == 21);
    // Each host's figures: its endpoints together, with percentiles from the merged histograms.
    for (const auto& h : result["hosts"]) {
        INFO(h.dump().substr(0, 300));
        CHECK(h["requests"].get<std::uint64_t>() == by_host.at(h["name"].get<std::string>()));
        CHECK(h["p95"].get<double>() >= h["p50"].get<double>());
        CHECK(h["p50"].get<double>() > 0);
    }
    CHECK(run.out.find("Hosts (every endpoint of each together)") != std::string::npos);
}

TEST_CASE("the fleet example runs one group with --tags: only that group's listeners are loaded", "[hosts]") {
    demo_target target(port_flags(20));
    temp_dir dir;
    const auto run = run_fleet(target, dir, {"--tags", "security"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto served = served_by_port(target);
    const auto agents = fleet_agents();
    for (std::size_t i = 0; i < agents.size(); ++i) {
        INFO(agents[i]);
        const bool security = agents[i].rfind("security-", 0) == 0;
        CHECK((served.at(target.ports()[i + 1]) > 0) == security);
    }
    CHECK(served.at(target.ports()[0]) == 0);  // the orchestrator's task is tagged otherwise
    // The other groups' thresholds have nothing to judge: left out, and said so.
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["thresholds_left_out"] == json::array({"p95 < 200ms (tag core)", "p95 < 500ms (tag creative)"}));
    CHECK(result["thresholds"].size() == 2);
    CHECK(run.out.find("Not judged: p95 < 200ms (tag core)") != std::string::npos);
}

TEST_CASE("the event-bus example: published, queried and acknowledged once each, per host", "[hosts]") {
    demo_target target({"--port", "0"});
    temp_dir dir;
    const auto& ports = target.ports();
    const auto run = run_stampede({"run", "-f", EXAMPLES_DIR "/event_bus.yaml", "--profile", "quick", "-t", "3s",
                                   "--host-url", "bus=http://127.0.0.1:" + std::to_string(ports[0]), "--host-url",
                                   "orchestrator=http://127.0.0.1:" + std::to_string(ports[1]), "--json",
                                   dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto stats = target.stats();
    const auto by_host = requests_by_host(result);
    const auto served = served_by_port(target);
    CHECK(by_host.at("bus") == served.at(ports[0]));
    CHECK(by_host.at("orchestrator") == served.at(ports[1]));
    CHECK(by_host.at("orchestrator") == stats["chat_turns"].get<std::uint64_t>());
    const auto& bus = stats["events"];
    CHECK(bus["published"].get<std::uint64_t>() > 10);
    CHECK(bus["repeated_acks"] == 0);
    CHECK(bus["unknown_acks"] == 0);
    // A sequence cut by the stop may leave its last event unacknowledged: at most one per user.
    CHECK(bus["published"].get<std::uint64_t>() - bus["acknowledged"].get<std::uint64_t>() <= 6);
    CHECK(bus["pending"].get<std::uint64_t>() == bus["published"].get<std::uint64_t>() - bus["acknowledged"].get<std::uint64_t>());
    CHECK(result["totals"]["failures"] == 0);
}

TEST_CASE("bad host URLs and refused connections on a named host are clear errors", "[hosts]") {
    temp_dir dir;
    write_file(dir.file("s.yaml"), "hosts: {api: 'http://127.0.0.1:1'}\nuser_classes: [{host: api, tasks: [{path: /}]}]\n");
    auto refused = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "1", "-r", "10", "-t", "1s", "--json", dir.file("r.json")});
    CHECK(refused.code == 1);
    const auto result = json::parse(read_file(dir.file("r.json")));
    REQUIRE(!result["errors"].empty());
    CHECK(result["errors"][0]["kind"] == "connect");
    CHECK(result["errors"][0]["host"] == "api");
    auto bad_flag = run_stampede({"run", "-f", dir.file("s.yaml"), "--host-url", "api=127.0.0.1:80", "-t", "1s"});
    CHECK(bad_flag.code == 2);
    CHECK(bad_flag.err.find("--host-url api: host '127.0.0.1:80': must start with http://, https://, ws:// or wss://") != std::string::npos);
    auto unknown = run_stampede({"run", "-f", dir.file("s.yaml"), "--host-url", "apj=http://x", "-t", "1s"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("has no host named 'apj' (did you mean 'api'?)") != std::string::npos);
    auto huge = run_stampede({"run", "-f", dir.file("s.yaml"), "--host-url", "api=http://" + std::string(100'000, 'a'), "-t", "1s"});
    CHECK(huge.code == 2);
    CHECK(huge.err.size() < 2'000);
}
