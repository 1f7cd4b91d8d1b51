// Flags from the environment and from config files, as a container or a CI job sets them: the
// real binary, its order of precedence read back from the result, and bad values named by
// their source.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using json = nlohmann::json;

namespace {

// Variables set for the processes this test starts, unset at scope exit.
class scoped_environment {
public:
    explicit scoped_environment(std::vector<std::pair<std::string, std::string>> vars) : vars_(std::move(vars)) {
        for (const auto& [name, value] : vars_) setenv(name.c_str(), value.c_str(), 1);
    }
    scoped_environment(const std::string& name, const std::string& value)
        : scoped_environment(std::vector<std::pair<std::string, std::string>>{{name, value}}) {}
    ~scoped_environment() {
        for (const auto& [name, value] : vars_) unsetenv(name.c_str());
    }

private:
    std::vector<std::pair<std::string, std::string>> vars_;
};

const std::string body =
    "load: {users: 7, spawn_rate: 100, run_time: 300ms}\n"
    "profiles:\n  p: {users: 6}\n"
    "user_classes:\n  - tasks:\n      - {path: /ok, think: 50ms}\n";

// The run's users and where its settings came from.
struct observed {
    int code = -1;
    int users = -1;
    json settings;
    std::string err;
};

observed run_with(const demo_target& target, const temp_dir& dir, std::vector<std::string> extra) {
    write_file(dir.file("s.yaml"), "host: " + target.url() + "\n" + body);
    std::vector<std::string> args = {"run", "-f", dir.file("s.yaml"), "--json", dir.file("r.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = run_stampede(args);
    observed o{run.code, -1, json(), run.err};
    if (run.code == 0) {
        const auto result = json::parse(read_file(dir.file("r.json")));
        o.users = result["load"]["users"].get<int>();
        o.settings = result["settings"];
    }
    return o;
}

json setting(const std::string& flag, const std::string& value, const std::string& source) {
    return {{"flag", flag}, {"value", value}, {"source", source}};
}

}  // namespace

TEST_CASE("a flag beats the environment, which beats the config file, the profile, the scenario", "[settings]") {
    demo_target target;
    temp_dir dir;
    const auto conf = dir.file("medium.conf");

    auto scenario = run_with(target, dir, {});
    REQUIRE(scenario.code == 0);
    CHECK(scenario.users == 7);
    CHECK(scenario.settings == json::array());

    auto profile = run_with(target, dir, {"--profile", "p"});
    REQUIRE(profile.code == 0);
    CHECK(profile.users == 6);

    write_file(conf, "# the team's medium run\nprofile = p\nusers = 5\n");
    auto file = run_with(target, dir, {"--config", conf});
    INFO(file.err);
    REQUIRE(file.code == 0);
    CHECK(file.users == 5);
    CHECK(file.settings == json::array({setting("--profile", "p", conf + ":2"), setting("--users", "5", conf + ":3")}));

    scoped_environment env(std::vector<std::pair<std::string, std::string>>{{"STAMPEDE_USERS", "4"}, {"STAMPEDE_WEB_AUTH", "user:s3cret"}});
    auto environment = run_with(target, dir, {"--config", conf});
    REQUIRE(environment.code == 0);
    CHECK(environment.users == 4);
    CHECK(environment.settings ==
          json::array({setting("--users", "4", "STAMPEDE_USERS"), setting("--web-auth", "***", "STAMPEDE_WEB_AUTH"),
                       setting("--profile", "p", conf + ":2")}));

    auto flag = run_with(target, dir, {"--config", conf, "-u", "3"});
    REQUIRE(flag.code == 0);
    CHECK(flag.users == 3);
    CHECK(flag.settings.size() == 2);  // web-auth and the profile; users came from the flag
}

TEST_CASE("STAMPEDE_CONFIG names the file, and ./stampede.conf is read when present", "[settings]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("other.conf"), "users = 2\n");
    {
        scoped_environment env("STAMPEDE_CONFIG", dir.file("other.conf"));
        auto named = run_with(target, dir, {});
        REQUIRE(named.code == 0);
        CHECK(named.users == 2);
    }
    write_file(dir.file("s.yaml"), "host: " + target.url() + "\n" + body);
    write_file(dir.file("stampede.conf"), "users = 1\njson = r.json\nheadless = true\n");
    child_process in_dir({"/bin/sh", "-c", "cd '" + dir.path() + "' && exec '" STAMPEDE_BIN "' run -f s.yaml"});
    REQUIRE(in_dir.wait(std::chrono::seconds(60)) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["load"]["users"] == 1);
    CHECK(result["settings"][0] == setting("--users", "1", "stampede.conf:1"));
}

TEST_CASE("a bad setting names its variable, or its file and line", "[settings]") {
    const std::string scenario = EXAMPLES_DIR "/quickstart.yaml";
    temp_dir dir;
    {
        scoped_environment env("STAMPEDE_SPAWN_RATE", "fast");
        auto bad = run_stampede({"run", "-f", scenario});
        CHECK(bad.code == 2);
        CHECK(bad.err.find("error: STAMPEDE_SPAWN_RATE: --spawn-rate: must be a number above 0") != std::string::npos);
    }
    {
        scoped_environment env("STAMPEDE_AUTOSTART", "maybe");
        auto bad = run_stampede({"run", "-f", scenario});
        CHECK(bad.code == 2);
        CHECK(bad.err.find("error: STAMPEDE_AUTOSTART: --autostart is a switch: true or false, got 'maybe'") !=
              std::string::npos);
    }
    write_file(dir.file("a.conf"), "users = 10\n\nrun-time = soon\n");
    auto bad_value = run_stampede({"run", "-f", scenario, "--config", dir.file("a.conf")});
    CHECK(bad_value.code == 2);
    CHECK(bad_value.err.find("error: " + dir.file("a.conf") + ":3: --run-time: invalid duration 'soon'") !=
          std::string::npos);

    write_file(dir.file("b.conf"), "users = 10\nspwan-rate = 2\n");
    auto typo = run_stampede({"run", "-f", scenario, "--config", dir.file("b.conf")});
    CHECK(typo.code == 2);
    CHECK(typo.err.find(dir.file("b.conf") + ":2: unknown setting 'spwan-rate' (did you mean 'spawn-rate'?)") !=
          std::string::npos);

    write_file(dir.file("c.conf"), "users 10\n");
    auto malformed = run_stampede({"run", "-f", scenario, "--config", dir.file("c.conf")});
    CHECK(malformed.code == 2);
    CHECK(malformed.err.find(dir.file("c.conf") + ":1: expected 'key = value'") != std::string::npos);

    auto missing = run_stampede({"run", "-f", scenario, "--config", dir.file("none.conf")});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("--config " + dir.file("none.conf") + ": ") != std::string::npos);

    write_file(dir.file("big.conf"), std::string(2 << 20, '#'));
    auto big = run_stampede({"run", "-f", scenario, "--config", dir.file("big.conf")});
    CHECK(big.code == 2);
    CHECK(big.err.find("is larger than 1 MiB") != std::string::npos);
}

TEST_CASE("a Locust config file runs with only the command changed", "[settings]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: http://127.0.0.1:9\n" + body);
    // docs/cli.md's example, comments after values included.
    write_file(dir.file("medium.conf"),
               "# Locust's own format\nlocustfile = " + dir.file("s.yaml") + "      # Locust's name for --scenario\n"
               "headless = true\nhost = " + target.url() + "\nusers = 2  # peak\nspawn-rate = 10\nrun-time = 1 ; seconds\n"
               "csv = " + dir.file("m") + "\nloglevel = INFO\nonly-summary = true\n");
    child_process run({STAMPEDE_BIN, "run", "--config", dir.file("medium.conf")});
    REQUIRE(run.wait(std::chrono::seconds(60)) == 0);
    CHECK(run.err().find("medium.conf:9: Locust's 'loglevel' has no counterpart in Stampede: left alone") !=
          std::string::npos);
    const auto stats = read_file(dir.file("m_stats.csv"));
    CHECK(stats.find("GET,/ok,") != std::string::npos);
    CHECK(target.served() > 0);
    CHECK(run.err().find("--users 2 (from " + dir.file("medium.conf") + ":5)") != std::string::npos);

    // Its locustfile still named: what to do, not a YAML parser's complaint about Python.
    write_file(dir.file("locustfile.py"), "from locust import HttpUser, task\n");
    write_file(dir.file("old.conf"), "locustfile = " + dir.file("locustfile.py") + "\nheadless = true\n");
    auto python = run_stampede({"run", "--config", dir.file("old.conf")});
    CHECK(python.code == 2);
    CHECK(python.err.find(dir.file("locustfile.py") + ":1:1: this is a Python locustfile: Stampede runs YAML scenarios") !=
          std::string::npos);
}

TEST_CASE("the page compare writes is named on its command line only, never by a run's settings", "[settings]") {
    temp_dir dir;
    scoped_environment env("STAMPEDE_HTML", dir.file("run_report.html"));
    write_file(dir.file("stampede.conf"), "html = " + dir.file("run_report.html") + "\n");
    auto compared = run_stampede({"compare", LOCUST_CSV, LOCUST_CSV, "--config", dir.file("stampede.conf")});
    CHECK(compared.code == 0);
    CHECK(read_file(dir.file("run_report.html")).empty());  // not written over
    auto help = run_stampede({"compare", "--help"});
    CHECK(help.out.find("STAMPEDE_HTML") == std::string::npos);
    CHECK(help.out.find("STAMPEDE_MAX_REGRESSION") != std::string::npos);
}
