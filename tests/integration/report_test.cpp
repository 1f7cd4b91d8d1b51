// The HTML report from the real binary: written by a run beside its JSON, rendered again from
// that JSON by `stampede report`, and refused with a reason for what is not a result.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using nlohmann::json;

namespace {

// The data the page embeds, as the page's script reads it.
json embedded_data(const std::string& page) {
    const std::string open = "<script type=\"application/json\" id=\"stampede-data\">";
    const auto from = page.find(open);
    REQUIRE(from != std::string::npos);
    const auto to = page.find("</script>", from);
    REQUIRE(to != std::string::npos);
    return json::parse(page.substr(from + open.size(), to - from - open.size()));
}

}  // namespace

TEST_CASE("a run writes its HTML report, one offline page holding the run's figures", "[report]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
load: {users: 4, spawn_rate: 100, run_time: 3s}
thresholds: [p95 < 5s]
user_classes:
  - name: Reader
    wait_time: {constant: 20ms}
    tasks:
      - {name: read, path: /ok}
      - {name: missing, path: /nope}
)");
    const auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--workers", "2", "--json", dir.file("r.json"),
                                   "--html", dir.file("r.html")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);  // the threshold holds, whatever the 404s
    CHECK(run.out.find("wrote " + dir.file("r.html")) != std::string::npos);
    const auto page = read_file(dir.file("r.html"));
    const auto result = json::parse(read_file(dir.file("r.json")));
    // Self-contained: the charting library and the report's script are inlined, nothing loaded.
    CHECK(page.find("uPlot") != std::string::npos);
    CHECK(page.find("StampedeReport") != std::string::npos);
    CHECK(page.find("<script src") == std::string::npos);
    CHECK(page.find("<link") == std::string::npos);
    CHECK(page.size() < 1'000'000);
    const auto data = embedded_data(page);
    CHECK(data["totals"]["requests"] == result["totals"]["requests"]);
    CHECK(data["endpoints"].size() == 2);
    CHECK(data["thresholds"] == result["thresholds"]);
    CHECK(data["errors"][0]["occurrences"] == result["errors"][0]["occurrences"]);
    // The timeline's per-interval counts add up to the run's; each worker's to its own.
    std::uint64_t sum = 0;
    for (const auto& n : data["timeline"]["requests"]) sum += n.get<std::uint64_t>();
    CHECK(sum == result["totals"]["requests"].get<std::uint64_t>());
    REQUIRE(data["timeline"]["workers"].size() == 2);
    for (const auto& w : data["timeline"]["workers"]) {
        std::uint64_t mine = 0;
        for (const auto& n : w["requests"]) mine += n.is_null() ? 0 : n.get<std::uint64_t>();
        bool found = false;
        for (const auto& r : result["workers"])
            if (r["name"] == w["name"]) {
                found = true;
                CHECK(mine == r["requests"].get<std::uint64_t>());
            }
        CHECK(found);
    }

    // The same page again from the saved result.
    const auto again = run_stampede({"report", dir.file("r.json"), "--html", dir.file("again.html")});
    INFO(again.err);
    REQUIRE(again.code == 0);
    CHECK(read_file(dir.file("again.html")) == page);
}

TEST_CASE("report refuses what is not a result, naming the file", "[report]") {
    temp_dir dir;
    write_file(dir.file("broken.json"), "{\"stampede_version\": ");
    auto r = run_stampede({"report", dir.file("broken.json"), "--html", dir.file("out.html")});
    CHECK(r.code == 2);
    CHECK(r.err.find(dir.file("broken.json") + ": not JSON") != std::string::npos);

    write_file(dir.file("other.json"), R"({"name": "not a result"})");
    r = run_stampede({"report", dir.file("other.json"), "--html", dir.file("out.html")});
    CHECK(r.code == 2);
    CHECK(r.err.find("not a Stampede result") != std::string::npos);

    r = run_stampede({"report", dir.file("absent.json"), "--html", dir.file("out.html")});
    CHECK(r.code == 2);
    CHECK(r.err.find("cannot read " + dir.file("absent.json")) != std::string::npos);

    r = run_stampede({"report", dir.file("other.json")});
    CHECK(r.code == 2);
    CHECK(r.err.find("--html") != std::string::npos);
    CHECK_FALSE(std::ifstream(dir.file("out.html")).good());
}
