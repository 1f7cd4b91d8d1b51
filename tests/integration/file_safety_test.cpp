// The files a run reads and writes: nothing from the kernel's file systems is read (their
// "files" are the process's environment and the machine's state), no line of a file that is not
// a data file is quoted back, and no result overwrites an input, another result, or the target of
// a symbolic link placed at its path.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;

namespace {

void write_scenario(const temp_dir& dir, const std::string& host, const std::string& data = "") {
    write_file(dir.file("s.yaml"), "host: " + host + "\n" + data +
                                       "user_classes:\n  - wait_time: {constant: 50ms}\n    tasks: [{path: /ok}]\n");
}

}  // namespace

TEST_CASE("files on procfs and sysfs are refused, the master's environment never read", "[files]") {
    temp_dir dir;
    write_scenario(dir, "http://127.0.0.1:9", "data: {env: {file: /proc/self/environ}}\n");
    auto out = run_stampede({"validate", "-f", dir.file("s.yaml")});
    CHECK(out.code == 2);
    CHECK(out.err.find("/proc/self/environ") != std::string::npos);
    CHECK(out.err.find("is on procfs (/proc), the kernel's state rather than a file of yours: not read") != std::string::npos);
    CHECK(out.err.find("PATH=") == std::string::npos);
    out = run_stampede({"validate", "-f", "/proc/self/environ"});
    CHECK(out.code == 2);
    CHECK(out.err.find("is on procfs") != std::string::npos);
    write_scenario(dir, "http://127.0.0.1:9", "data: {kernel: {file: /sys/kernel/uevent_seqnum}}\n");
    out = run_stampede({"validate", "-f", dir.file("s.yaml")});
    CHECK(out.code == 2);
    CHECK(out.err.find("is on sysfs (/sys)") != std::string::npos);
}

TEST_CASE("a data file whose first line is not a header of names is never quoted back", "[files]") {
    temp_dir dir;
    // As /etc/shadow's first line reads: one "column" that is a password hash.
    write_file(dir.file("shadow"), "root:$6$secrethash$xyz:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    write_file(dir.file("s.yaml"), R"(host: http://127.0.0.1:9
data: {users: {file: shadow}}
user_classes:
  - tasks: [{path: "/login/{{ data.users.name }}"}]
)");
    const auto out = run_stampede({"validate", "-f", dir.file("s.yaml")});
    CHECK(out.code == 2);
    INFO(out.err);
    CHECK(out.err.find("secrethash") == std::string::npos);
    CHECK(out.err.find("data set 'users' has no column 'name' (no column a template can name: is its first line a header row "
                       "of names?)") != std::string::npos);
    write_file(dir.file("shadow"), "name,x y z\nroot,a\n");
    CHECK(run_stampede({"validate", "-f", dir.file("s.yaml")}).code == 0);
}

TEST_CASE("a result is never written over an input or another result", "[files]") {
    demo_target target;
    temp_dir dir;
    write_scenario(dir, target.url());
    const auto scenario = read_file(dir.file("s.yaml"));
    const auto base = std::vector<std::string>{"run", "-f", dir.file("s.yaml"), "-u", "1", "-t", "1s"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        args.insert(args.end(), extra.begin(), extra.end());
        return run_stampede(args);
    };
    auto out = with({"--json", dir.file("s.yaml")});
    CHECK(out.code == 2);
    CHECK(out.err.find("--json " + dir.file("s.yaml") + ": that is the scenario (-f), which this run reads") != std::string::npos);
    out = with({"--html", dir.path() + "/../" + dir.path().substr(dir.path().rfind('/') + 1) + "/./s.yaml"});
    CHECK(out.code == 2);
    out = with({"--json", dir.file("x"), "--html", dir.file("x")});
    CHECK(out.code == 2);
    CHECK(out.err.find("--html " + dir.file("x") + ": --json writes that file too") != std::string::npos);
    out = with({"--csv", dir.file("r"), "--json", dir.file("r_stats.csv")});
    CHECK(out.code == 2);
    CHECK(out.err.find("--json writes that file too") != std::string::npos);
    // A hard link to the scenario is the scenario.
    REQUIRE(::link(dir.file("s.yaml").c_str(), dir.file("hard.json").c_str()) == 0);
    CHECK(with({"--json", dir.file("hard.json")}).code == 2);
    CHECK(read_file(dir.file("s.yaml")) == scenario);  // untouched through all of it
    CHECK(out.out.find("Starting") == std::string::npos);  // refused before any traffic
    // `report` and `compare` likewise.
    write_file(dir.file("r.json"), "{}");
    CHECK(run_stampede({"report", dir.file("r.json"), "--html", dir.file("r.json")}).code == 2);
    CHECK(run_stampede({"compare", dir.file("r.json"), dir.file("r.json"), "--html", dir.file("r.json")}).code == 2);
    CHECK(read_file(dir.file("r.json")) == "{}");
}

TEST_CASE("a symbolic link at a result's path is replaced by the result, its target left alone", "[files]") {
    demo_target target;
    temp_dir dir;
    write_scenario(dir, target.url());
    write_file(dir.file("victim"), "precious");
    REQUIRE(::symlink(dir.file("victim").c_str(), dir.file("r.json").c_str()) == 0);
    const auto out = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "1", "-t", "1s", "--json", dir.file("r.json"),
                                   "--csv", dir.file("c")});
    CHECK(out.code == 0);
    CHECK(read_file(dir.file("victim")) == "precious");
    struct stat info {};
    REQUIRE(::lstat(dir.file("r.json").c_str(), &info) == 0);
    CHECK(S_ISREG(info.st_mode));
    CHECK(nlohmann::json::parse(read_file(dir.file("r.json")))["totals"]["requests"].get<int>() > 0);
    // Every result written whole, no temporary file left beside it.
    CHECK(std::system(("test -z \"$(ls -A " + dir.path() + " | grep tmp-)\"").c_str()) == 0);
    CHECK(out.out.find("wrote " + dir.file("r.json") + "\n") != std::string::npos);
}
