// A scenario's `watch:` section: every form it takes read into the model, and every mistake in
// it refused at its line and column.
#include <catch2/catch.hpp>

#include "scenario/loader/scenario_loader.hpp"

using namespace stampede;
using namespace stampede::lang;

namespace {

const std::string classes = "user_classes: [{tasks: [{path: /}]}]\n";

scenario load_ok(const std::string& text) {
    auto r = load_scenario_text(text + classes, "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    return *r.value;
}

std::string problems_of(const std::string& text) { return load_scenario_text(text + classes, "s.yaml").format(); }

}  // namespace

TEST_CASE("a watch section names the service's endpoints, series, processes and cgroups", "[watch]") {
    const auto sc = load_ok(R"(host: http://127.0.0.1:8001
hosts:
  cache: http://127.0.0.1:6379
watch:
  interval: 2s
  prometheus:
    - path: /metrics
      series:
        active: modular_active_executions
        solves: {select: 'modular_requests_total{route="/solve"}', read: rate}
        p95: {select: modular_request_duration_seconds, read: p95}
        hit_ratio: {share: [cache_hits_total, cache_misses_total]}
    - url: https://metrics.test:9100/custom
      headers: {Authorization: Bearer abc}
      timeout: 500ms
      series: {load: node_load1}
    - {host: cache, path: /stats, series: {keys: redis_keys}}
  processes:
    opscore: opscore-server
    by_pid: {pid: 4242}
    by_file: {pid_file: /run/x.pid}
  cgroups:
    redis: system.slice/redis.service
  containers:
    db: postgres-1
)");
    const auto& w = sc.watch;
    REQUIRE(w.interval);
    CHECK(*w.interval == std::chrono::seconds(2));
    REQUIRE(w.prometheus.size() == 3);
    const auto& local = w.prometheus[0];
    CHECK_FALSE(local.url);
    CHECK(local.host == 0);
    CHECK(local.path == "/metrics");
    REQUIRE(local.series.size() == 4);
    CHECK(local.series[0].name == "active");
    CHECK(local.series[0].query.metric == "modular_active_executions");
    CHECK(local.series[0].query.read == watch::reading::automatic);
    CHECK(local.series[1].query.labels.at(0).value == "/solve");
    CHECK(local.series[1].query.read == watch::reading::rate);
    CHECK(local.series[2].query.read == watch::reading::quantile);
    CHECK(local.series[2].query.quantile == Approx(0.95));
    REQUIRE(local.series[3].share_with);
    CHECK(local.series[3].query.metric == "cache_hits_total");
    CHECK(local.series[3].share_with->metric == "cache_misses_total");
    const auto& remote = w.prometheus[1];
    CHECK(*remote.url == "https://metrics.test:9100/custom");
    CHECK(remote.headers == std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer abc"}});
    CHECK(remote.timeout == std::chrono::milliseconds(500));
    CHECK(w.prometheus[2].host == 1);
    CHECK(w.prometheus[2].path == "/stats");
    REQUIRE(w.containers.size() == 1);
    CHECK(w.containers[0].container == "postgres-1");
    REQUIRE(w.processes.size() == 3);
    CHECK(w.processes[0].target.name == "opscore-server");
    CHECK(w.processes[1].target.pid == 4242);
    CHECK(w.processes[2].target.pid_file == "/run/x.pid");
    REQUIRE(w.cgroups.size() == 1);
    CHECK(w.cgroups[0].path == "system.slice/redis.service");
}

TEST_CASE("mistakes in a watch section are refused where they are written", "[watch]") {
    CHECK(problems_of("watch:\n  prometheus:\n    - series: {a: 'm{x=~\"1\"}'}\n") ==
          "s.yaml:3:23: selector: regular-expression matchers (=~, !~) are not supported: name each value with = or !=\n");
    CHECK(problems_of("watch:\n  promethues: []\n") ==
          "s.yaml:2:3: unknown key 'promethues' in watch (did you mean 'prometheus'?)\n"
          "s.yaml:2:3: watch names nothing to read: give it prometheus, processes, cgroups or containers\n");
    CHECK(problems_of("watch:\n  prometheus:\n    - series: {a: x, b: {select: y, read: median}}\n") ==
          "s.yaml:3:43: 'median' is no way to read a series: value, rate, avg, or a percentile as p95\n");
    CHECK(problems_of("watch:\n  prometheus: [{series: {a: x}}]\n  processes: {a: server}\n") ==
          "s.yaml:3:15: 'a' is watched twice: each name once, across prometheus, processes, cgroups and containers\n");
    CHECK(problems_of("watch:\n  prometheus: [{url: 'http://x/m', host: default, series: {a: x}}]\n") ==
          "s.yaml:2:42: give either 'url' or 'host' (with 'path'), not both\n");
    CHECK(problems_of("watch:\n  prometheus: [{host: cahce, series: {a: x}}]\n") ==
          "s.yaml:2:23: no host named 'cahce' (declare it under 'hosts')\n");
    CHECK(problems_of("watch:\n  prometheus: [{series: {a: {share: [x]}}}]\n") ==
          "s.yaml:2:37: share: [PART, REST], two selectors: PART's rate over PART's and REST's (hits over hits and misses)\n");
    CHECK(problems_of("watch:\n  processes: {a: {pid: 1, name: x}}\n") ==
          "s.yaml:2:18: a process is found by one of pid, pid_file or name\n");
    CHECK(problems_of("watch:\n  interval: 10ms\n  cgroups: {'a b': x}\n") ==
          "s.yaml:2:13: watch interval: at least 100ms\n"
          "s.yaml:3:13: watched name 'a b': use 1 to 64 letters, digits, '_' or '-'\n");
    CHECK(problems_of("watch:\n  prometheus: [{path: /m}]\n") ==
          "s.yaml:2:16: a prometheus endpoint with no 'series': name what to read of it\n");
}

TEST_CASE("a container's name or a cgroup's path past its bound is refused where it is written", "[watch]") {
    CHECK(problems_of("watch:\n  containers: {db: " + std::string(300, 'n') + "}\n") ==
          "s.yaml:2:20: a container's name or id past 256 bytes\n");
}

TEST_CASE("a condition on a watched series names one the section reads, and takes its unit", "[watch]") {
    const std::string watch = "host: http://127.0.0.1:8001\nwatch:\n  prometheus:\n    - series: {rss: process_resident_memory_bytes}\n"
                              "  processes: {svc: svc-server}\n";
    const auto sc = load_ok(watch + "thresholds: ['watch.rss max < 1GiB', 'watch.svc.cpu avg < 0.9']\n"
                                    "load: {stop_when: ['watch.svc.memory max > 2GiB']}\n");
    REQUIRE(sc.thresholds.size() == 2);
    CHECK(sc.thresholds[0].watched->unit == "B");
    CHECK(sc.thresholds[1].watched->unit == "cores");
    CHECK((*sc.load.stop_when)[0].watched->series == "svc.memory");
    CHECK(problems_of(watch + "thresholds: ['watch.rs max < 1GiB']\n") ==
          "s.yaml:6:14: no watched series named 'rs' (did you mean 'rss'?)\n");
    CHECK(problems_of("host: http://127.0.0.1:8001\nthresholds: ['watch.rss max < 1GiB']\n").find(
              "and the scenario has no 'watch' section") != std::string::npos);
    CHECK(problems_of(watch + "thresholds: [{expect: 'watch.rss max < 1GiB', endpoint: x}]\n").find(
              "reads the service's watched series: it has no endpoint") != std::string::npos);
}
