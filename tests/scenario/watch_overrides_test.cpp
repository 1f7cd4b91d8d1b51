// The command line's additions to a scenario's watch section: processes and cgroups added or
// replaced by name, series added to the first Prometheus endpoint (or a new one on the default
// host), the interval; every mistake named by its flag.
#include "scenario/watch_overrides.hpp"

#include <catch2/catch.hpp>

using namespace stampede;
using namespace stampede::lang;
using namespace std::chrono_literals;

TEST_CASE("watch flags add or replace processes, cgroups, containers and series by name", "[watch]") {
    watch_spec spec;
    spec.processes.push_back({"svc", {0, {}, "old-name"}});
    watch_overrides o;
    o.processes = {"svc=pid:42", "db=pid-file:/run/db.pid", "cache=redis-server"};
    o.cgroups = {"app=system.slice/app.service"};
    o.containers = {"pg=postgres-1"};
    o.series = {"active=modular_active_executions", "ok=demo_requests_total{route=\"ok\"}"};
    o.interval = 2s;
    REQUIRE(apply_watch_overrides(spec, o).ok());
    REQUIRE(spec.processes.size() == 3);
    CHECK(spec.processes[0].target.pid == 42);
    CHECK(spec.processes[0].target.name.empty());
    CHECK(spec.processes[1].target.pid_file == "/run/db.pid");
    CHECK(spec.processes[2].target.name == "redis-server");
    CHECK(spec.cgroups[0].path == "system.slice/app.service");
    CHECK(spec.containers[0].container == "postgres-1");
    REQUIRE(spec.prometheus.size() == 1);  // none in the file: the default host's /metrics
    CHECK(spec.prometheus[0].path == "/metrics");
    CHECK(spec.prometheus[0].series.size() == 2);
    CHECK(spec.prometheus[0].series[1].query.labels[0].value == "ok");
    CHECK(spec.interval == 2s);
}

TEST_CASE("a watch flag that cannot be read is refused, naming the flag", "[watch]") {
    const auto refused = [](watch_overrides o) {
        watch_spec spec;
        auto applied = apply_watch_overrides(spec, o);
        REQUIRE_FALSE(applied.ok());
        return applied.error();
    };
    CHECK(refused({std::nullopt, {"nothing"}, {}, {}, {}}) == "--watch-process 'nothing': give NAME=VALUE");
    CHECK(refused({std::nullopt, {"a.b=x"}, {}, {}, {}}).find("a name is 1 to 64 letters") != std::string::npos);
    CHECK(refused({std::nullopt, {"a=pid:0"}, {}, {}, {}}) == "--watch-process a: 'pid:0' is not pid:N with N a process id");
    CHECK(refused({std::nullopt, {}, {}, {}, {"x=a{"}}).find("--watch-series x: ") == 0);
    CHECK(refused({std::nullopt, {"x=p"}, {"x=c"}, {}, {}}).find("'x.cpu' is watched twice") != std::string::npos);
    CHECK(refused({std::nullopt, {}, {}, {"db="}, {}}) == "--watch-container 'db=': give NAME=VALUE");
    CHECK(refused({10ms, {}, {}, {}, {}}) == "--watch-interval: at least 100ms");
    CHECK(refused({std::nullopt, {}, {}, {"db=" + std::string(300, 'n')}, {}}) == "--watch-container db: a value past 256 bytes");
}
