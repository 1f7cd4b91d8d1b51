// The service watched during a run, on the real binary: the series the result holds are what the
// demo target reported; an endpoint that is closed, slow, failing, garbled, huge or endless in
// its series is noted (an event, a gap) and the run is unharmed and on time; a process that exits
// mid-run is a gap from then on; a cgroup that does not exist stops the run before it starts.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include <fstream>

#include "tests/integration/hostile_server.hpp"
#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const json& series_named(const json& result, const std::string& name) {
    for (const auto& s : result["watch"]["series"])
        if (s["name"] == name) return s;
    FAIL("no watched series " << name);
    throw;
}

std::vector<std::string> events_of(const json& result, const std::string& type) {
    std::vector<std::string> out;
    for (const auto& e : result["events"])
        if (e["type"] == type) out.push_back(e["detail"].get<std::string>());
    return out;
}

bool any_contains(const std::vector<std::string>& texts, const std::string& part) {
    for (const auto& t : texts)
        if (t.find(part) != std::string::npos) return true;
    return false;
}

// An endpoint that answers every request with `response`, or holds it for `hold` first.
hostile_server answering(std::string response, std::chrono::milliseconds hold = 0ms) {
    return hostile_server([response = std::move(response), hold](hostile_connection& c) {
        while (!c.read_request(5s).empty()) {
            std::this_thread::sleep_for(hold);
            if (!c.write(response)) return;
        }
    });
}

}  // namespace

TEST_CASE("a run's watched series are what the target reported", "[watch]") {
    demo_target target({"--cache-hit-ratio", "0.7"});
    const auto body = "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n"
                      "watch:\n  interval: 500ms\n  prometheus:\n    - path: /metrics\n      series:\n"
                      "        ok_total: {select: 'demo_requests_total{route=\"ok\"}', read: value}\n"
                      "        ok_rate: 'demo_requests_total{route=\"ok\"}'\n"
                      "        hit_ratio: {share: [demo_cache_hits_total, demo_cache_misses_total]}\n"
                      "  processes:\n    demo: {pid: " + std::to_string(target.pid()) + "}\n";
    const auto [run, result] = run_scenario_with_result(target.url(), body, {"-u", "4", "-r", "100", "-t", "4s"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.out.find("Service") != std::string::npos);
    CHECK(result["watch"]["interval_s"] == 0.5);
    const auto sent = result["totals"]["requests"].get<double>();
    const auto& total = series_named(result, "ok_total")["values"];
    REQUIRE(total.size() >= 6);
    double last = 0;
    for (const auto& v : total) {
        REQUIRE(v.is_number());
        CHECK(v.get<double>() >= last);  // a counter read as its value only grows
        last = v.get<double>();
    }
    CHECK(last <= sent);
    CHECK(last >= 0.5 * sent);
    // The rates, each over its own interval, add up to the counter's growth.
    double counted = 0;
    for (const auto& v : series_named(result, "ok_rate")["values"])
        if (v.is_number()) counted += v.get<double>() * 0.5;
    CHECK(counted == Approx(last - total[0].get<double>()).epsilon(0.15));
    for (const auto& v : series_named(result, "hit_ratio")["values"])
        if (v.is_number()) CHECK(v.get<double>() == Approx(0.7).margin(0.02));
    CHECK(series_named(result, "demo.cpu")["figures"]["max"].get<double>() > 0.05);
    CHECK(series_named(result, "demo.memory")["figures"]["min"].get<double>() > 1 << 20);
    CHECK(series_named(result, "demo.memory")["unit"] == "B");
}

TEST_CASE("a watched endpoint that is closed, slow, failing, garbled, huge or endless is noted, the run unharmed",
          "[watch]") {
    demo_target target;
    auto failing = answering("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    auto slow = answering(http_ok("up 1\n"), 3000ms);
    auto garbled = answering(http_ok("{\"not\": \"metrics\"}"));
    auto huge = answering("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n" + std::string(1 << 20, '#'));
    std::string endless_series;
    for (int i = 0; i < 600'000; ++i) endless_series += "m 1\n";
    auto endless = answering(http_ok(endless_series));
    std::string watch = "watch:\n  prometheus:\n";
    const std::vector<std::pair<std::string, std::string>> endpoints = {
        {"closed", "http://127.0.0.1:1/metrics"}, {"failing", failing.url() + "/metrics"}, {"slow", slow.url() + "/metrics"},
        {"garbled", garbled.url() + "/metrics"}, {"huge", huge.url() + "/metrics"}, {"endless", endless.url() + "/metrics"}};
    for (const auto& [name, url] : endpoints)
        watch += "    - {url: '" + url + "', timeout: 1s, series: {" + name + ": up}}\n";
    const auto started = std::chrono::steady_clock::now();
    const auto [run, result] = run_scenario_with_result(
        target.url(), "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n" + watch, {"-u", "2", "-r", "100", "-t", "4s"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(std::chrono::steady_clock::now() - started < 12s);
    CHECK(result["totals"]["requests"].get<double>() > 100);
    CHECK(result["totals"]["failures"] == 0);
    const auto failed = events_of(result, "watch_failed");
    CHECK(any_contains(failed, "127.0.0.1:1/metrics: connect"));
    CHECK(any_contains(failed, "HTTP 500"));
    CHECK(any_contains(failed, "no answer within 1s"));
    CHECK(any_contains(failed, "not in Prometheus's text format: line 1"));
    CHECK(any_contains(failed, "larger than 16777216 bytes"));
    CHECK(any_contains(failed, "500000 samples"));
    for (const auto& [name, url] : endpoints)
        for (const auto& v : series_named(result, name)["values"]) CHECK(v.is_null());
    CHECK(run.out.find("watch: ") != std::string::npos);  // told on the console as it happened
}

TEST_CASE("a watched process that exits mid-run leaves a gap from then on", "[watch]") {
    demo_target target;
    child_process brief({"/bin/sleep", "2"});
    const auto body = "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n"
                      "watch:\n  interval: 250ms\n  processes:\n    brief: {pid: " + std::to_string(brief.pid()) + "}\n";
    const auto [run, result] = run_scenario_with_result(target.url(), body, {"-u", "1", "-r", "10", "-t", "4s"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(any_contains(events_of(result, "watch_failed"), "brief"));
    const auto& memory = series_named(result, "brief.memory")["values"];
    REQUIRE(memory.size() >= 12);
    CHECK(memory[1].is_number());
    CHECK(memory[memory.size() - 1].is_null());
}

TEST_CASE("a watched cgroup that does not exist stops the run before it starts, saying which", "[watch]") {
    demo_target target;
    const auto [run, result] = run_scenario_with_result(
        target.url(), "user_classes:\n  - tasks: [{name: ok, path: /ok}]\nwatch:\n  cgroups:\n    db: no/such/cgroup-here\n",
        {"-u", "1", "-r", "10", "-t", "2s"});
    CHECK(run.code == 2);
    CHECK(run.err.find("watch: cgroup db (no/such/cgroup-here)") != std::string::npos);
    CHECK(target.served() == 0);
}

TEST_CASE("a leak of 1 MiB/s is caught by a slope threshold, and a steady target passes it", "[watch]") {
    for (const bool leaking : {true, false}) {
        demo_target target(leaking ? std::vector<std::string>{"--leak", "1MiB/s"} : std::vector<std::string>{});
        const auto body = "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n"
                          "thresholds:\n  - {expect: 'watch.svc.memory slope < 12MiB/min', grace: 2s}\n"
                          "  - 'watch.rss slope < 12MiB/min'\n"
                          "watch:\n  interval: 250ms\n  prometheus:\n    - series: {rss: process_resident_memory_bytes}\n"
                          "  processes:\n    svc: {pid: " + std::to_string(target.pid()) + "}\n";
        const auto [run, result] = run_scenario_with_result(target.url(), body, {"-u", "2", "-r", "100", "-t", "7s"});
        INFO((leaking ? "leaking: " : "steady: ") << run.out << run.err);
        CHECK(run.code == (leaking ? 99 : 0));
        const auto& verdicts = result["thresholds"];
        REQUIRE(verdicts.size() == 2);
        for (const auto& v : verdicts) CHECK(v["passed"] == !leaking);
        const double slope = verdicts[0]["measured"].get<double>();
        if (leaking) CHECK(slope == Approx(1 << 20).epsilon(0.3));  // a second's, in bytes
        else CHECK(std::abs(slope) < 2.0 * (1 << 20) / 60);
        CHECK(verdicts[0]["measured_text"].get<std::string>().find("/min after 2s") != std::string::npos);
    }
}

TEST_CASE("a staircase stops when the service's own figures say it is exhausted, both sides of the break recorded",
          "[watch]") {
    demo_target target({"--leak", "1MiB/s"});  // from its start, a moment before the run's
    const auto body = "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n"
                      "load:\n  staircase: {start: 1, add: 1, every: 3s, max: 8}\n"
                      "  stop_when:\n    - {when: 'watch.leaked max > 4.5MiB', window: 1s}\n"
                      "watch:\n  interval: 250ms\n  prometheus:\n    - series: {leaked: demo_leaked_bytes}\n";
    const auto [run, result] = run_scenario_with_result(target.url(), body, {"-t", "30s"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto& b = result["breaking_point"];
    REQUIRE(b.is_object());
    CHECK(b["condition"] == "watch.leaked max > 4.5MiB");
    CHECK(b["users"] == 2);  // 4.5 MiB leaked 4.5 s after the target started: in the run's second stage
    CHECK(b["last_good_users"] == 1);
    CHECK(b["service"]["leaked"].get<double>() > b["service_last_good"]["leaked"].get<double>());
    CHECK(result["duration_s"].get<double>() < 7);
    CHECK(run.out.find("Service at") != std::string::npos);
}

TEST_CASE("the command line adds to the watch: a process by pid, a series, the interval", "[watch]") {
    demo_target target;
    const auto [run, result] = run_scenario_with_result(
        target.url(), "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n",
        {"-u", "1", "-r", "10", "-t", "3s", "--watch-process", "demo=pid:" + std::to_string(target.pid()), "--watch-series",
         "inflight=demo_requests_in_flight", "--watch-interval", "500ms"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(result["watch"]["interval_s"] == 0.5);
    CHECK(series_named(result, "inflight")["figures"]["max"].get<double>() >= 1);
    CHECK(series_named(result, "demo.memory")["figures"]["min"].get<double>() > 1 << 20);
}

TEST_CASE("the modular acceptance example passes against a steady service and catches a leaking one", "[watch]") {
    const std::string example = EXAMPLES_DIR "/modular_acceptance.yaml";
    for (const bool leaking : {false, true}) {
        std::vector<std::string> args = {"--latency", "jsonrpc=lognormal:20ms:0.3"};
        if (leaking) args.insert(args.end(), {"--leak", "2MiB/s"});
        demo_target target(args);
        temp_dir dir;
        auto baseline = run_stampede({"run", "-f", example, "-H", target.url(), "--profile", "baseline", "-t", "4s", "--json",
                                      dir.file("baseline.json")});
        INFO(baseline.out << baseline.err);
        REQUIRE(baseline.code == 0);  // the baseline's own thresholds hold, leak or not
        auto run = run_stampede({"run", "-f", example, "-H", target.url(), "--profile", "quick", "--baseline",
                                 dir.file("baseline.json"), "--json", dir.file("r.json")});
        INFO((leaking ? "leaking: " : "steady: ") << run.out << run.err);
        CHECK(run.code == (leaking ? 99 : 0));
        const auto result = json::parse(read_file(dir.file("r.json")));
        REQUIRE(result["thresholds"].size() == 5);
        for (const auto& v : result["thresholds"]) {
            const bool slope = v["threshold"].get<std::string>().find("slope") != std::string::npos;
            CHECK(v["passed"] == (leaking ? !slope : true));
        }
        CHECK(series_named(result, "solves")["figures"]["max"].get<double>() > 10);
    }
}

TEST_CASE("the Ops-Core staircase example reports the service's CPU and memory at each level", "[watch]") {
    demo_target target({"--threads", "1", "--latency", "all=2ms"});
    temp_dir dir;
    const auto run = run_stampede({"run", "-f", EXAMPLES_DIR "/opscore_staircase.yaml", "-H", target.url(), "--profile",
                                   "quick", "--watch-process", "opscore=pid:" + std::to_string(target.pid()), "--json",
                                   dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    REQUIRE(result["stages"].size() == 4);
    for (const auto& stage : result["stages"]) {
        CHECK(stage["service"]["opscore.cpu"].is_number());
        CHECK(stage["service"]["opscore.memory"].get<double>() > 1 << 20);
    }
    CHECK(run.out.find("Service at") != std::string::npos);
}

TEST_CASE("a watched endpoint over HTTPS is verified with its host's TLS settings", "[watch]") {
    test_certificates certs;
    demo_target target({"--tls-port", "0", "--tls-cert", certs.server_cert(), "--tls-key", certs.server_key()});
    const auto url = "https://127.0.0.1:" + std::to_string(target.https_ports().at(0));
    const auto body = "tls: {ca_file: " + certs.ca() + "}\nuser_classes:\n  - tasks: [{name: ok, path: /ok}]\n"
                      "watch:\n  interval: 500ms\n  prometheus:\n    - series: {served: demo_requests_total}\n";
    const auto [run, result] = run_scenario_with_result(url, body, {"-u", "1", "-r", "10", "-t", "2s"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(events_of(result, "watch_failed").empty());
    CHECK(series_named(result, "served")["figures"]["max"].get<double>() > 0);
    // On a host without the CA, the scrape fails verification: noted, the run's own requests unharmed.
    const auto untrusting = "hosts:\n  trusted: {url: '" + url + "', tls: {ca_file: " + certs.ca() + "}}\n" +
                            "user_classes:\n  - host: trusted\n    tasks: [{name: ok, path: /ok}]\n"
                            "watch:\n  interval: 500ms\n  prometheus:\n    - series: {served: demo_requests_total}\n";
    const auto [refused, refused_result] = run_scenario_with_result(url, untrusting, {"-u", "1", "-r", "10", "-t", "2s"});
    INFO(refused.out << refused.err);
    CHECK(refused.code == 0);
    CHECK(refused_result["totals"]["failures"] == 0);
    CHECK(any_contains(events_of(refused_result, "watch_failed"), "TLS handshake: unable to get local issuer certificate"));
}

TEST_CASE("a watched cgroup is read as docker stats reads it: CPU, memory, I/O", "[watch]") {
    // This process's cgroup (its run's too): the v2 one, or on a hybrid machine whose v2 path is
    // the root, the memory controller's.
    std::ifstream self("/proc/self/cgroup");
    std::string line, v2, memory;
    while (std::getline(self, line)) {
        if (line.starts_with("0::")) v2 = line.substr(3);
        if (line.find(":memory:") != std::string::npos) memory = line.substr(line.find(":memory:") + 8);
    }
    const auto path = !v2.empty() && v2 != "/" ? v2 : !memory.empty() ? memory : std::string("/");
    INFO("cgroup " << path);
    demo_target target;
    const auto [run, result] = run_scenario_with_result(
        target.url(), "user_classes:\n  - tasks: [{name: ok, path: /ok}]\n",
        {"-u", "2", "-r", "10", "-t", "3s", "--watch-cgroup", "mine=" + path, "--watch-interval", "500ms"});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(series_named(result, "mine.memory")["figures"]["min"].get<double>() > 1 << 20);
    CHECK(series_named(result, "mine.cpu")["unit"] == "cores");
    // A hybrid machine may account CPU elsewhere than memory: where this cgroup counts it, the run is in it.
    const auto& cpu = series_named(result, "mine.cpu")["figures"];
    if (!cpu.is_null()) CHECK(cpu["max"].get<double>() > 0.01);
}
