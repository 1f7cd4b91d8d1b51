// `stampede compare` on real results: two Stampede runs against the demo target, one slower,
// and a stats CSV that Debian's Locust 2.12 wrote against the same routes
// (tests/data/locust_demo.py says how).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using nlohmann::json;

namespace {

// 3 s of GET /ok and GET /health against a demo target whose /ok answers after `ok_latency`.
std::string saved_run(const temp_dir& dir, const std::string& name, const std::string& ok_latency) {
    demo_target target({"--latency", "ok=" + ok_latency});
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
load: {users: 4, spawn_rate: 100, run_time: 3s}
user_classes:
  - name: Reader
    wait_time: {constant: 20ms}
    tasks:
      - {path: /ok, weight: 3}
      - {path: /health}
)");
    const auto path = dir.file(name);
    const auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--json", path});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    return path;
}

}  // namespace

TEST_CASE("compare holds a run against a Locust baseline and against a slower run of its own", "[compare]") {
    temp_dir dir;
    const auto fast = saved_run(dir, "fast.json", "5ms");
    const auto slow = saved_run(dir, "slow.json", "60ms");

    // Locust's CSV as the baseline: the shared endpoints side by side, the rest listed.
    auto r = run_stampede({"compare", LOCUST_CSV, fast});
    INFO(r.out << r.err);
    CHECK(r.code == 0);  // no bounds: nothing is judged
    CHECK(r.out.find("(stats CSV, Locust's columns)") != std::string::npos);
    CHECK(r.out.find("GET /ok ") != std::string::npos);
    CHECK(r.out.find("GET /health ") != std::string::npos);
    CHECK(r.out.find("Only in the baseline:\n  GET legacy health (118 requests)") != std::string::npos);

    // The same run against itself is no regression; the slower one is, on /ok's latency.
    r = run_stampede({"compare", fast, fast, "--max-regression", "10"});
    CHECK(r.code == 0);
    CHECK(r.out.find("No regression past the bounds") != std::string::npos);
    r = run_stampede({"compare", fast, slow, "--max-regression", "50", "--html", dir.file("c.html")});
    CHECK(r.code == 99);
    CHECK(r.out.find("REGRESSED") != std::string::npos);
    const auto page = read_file(dir.file("c.html"));
    const std::string open = "<script type=\"application/json\" id=\"stampede-data\">";
    const auto from = page.find(open);
    REQUIRE(from != std::string::npos);
    const auto data = json::parse(page.substr(from + open.size(), page.find("</script>", from) - from - open.size()));
    CHECK(data["regressed"] == true);
    for (const auto& e : data["endpoints"]) {
        if (e["name"] != "/ok") continue;
        CHECK(e["metrics"]["p50 ms"]["regressed"] == true);
        CHECK(e["metrics"]["p50 ms"]["current"].get<double>() > 55);
    }
}

TEST_CASE("compare refuses a file it cannot read, naming it", "[compare]") {
    temp_dir dir;
    write_file(dir.file("x.txt"), "hello\n");
    auto r = run_stampede({"compare", dir.file("absent.json"), dir.file("x.txt")});
    CHECK(r.code == 2);
    CHECK(r.err.find("cannot read " + dir.file("absent.json")) != std::string::npos);
    r = run_stampede({"compare", LOCUST_CSV, dir.file("x.txt")});
    CHECK(r.code == 2);
    CHECK(r.err.find(dir.file("x.txt") + ": not a Stampede result nor a _stats.csv") != std::string::npos);
    r = run_stampede({"compare", LOCUST_CSV, LOCUST_CSV, "--max-regression", "-3"});
    CHECK(r.code == 2);
    CHECK(r.err.find("--max-regression") != std::string::npos);
}
