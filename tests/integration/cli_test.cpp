// The command line as users meet it: help, validation, bad flags and bad files.
#include <catch2/catch.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;

TEST_CASE("--help documents the run flags", "[cli]") {
    auto help = run_stampede({"run", "--help"});
    CHECK(help.code == 0);
    for (auto flag : {"--scenario", "--host", "--users", "--spawn-rate", "--run-time", "--tags", "--exclude-tags",
                      "--profile", "--csv", "--json", "--headless", "--stop-timeout", "--threads",
                      "--exit-code-on-error"})
        CHECK(help.out.find(flag) != std::string::npos);
}

TEST_CASE("bad flags exit 2 and name the flag", "[cli]") {
    const std::string scenario = EXAMPLES_DIR "/quickstart.yaml";
    auto bad_time = run_stampede({"run", "-f", scenario, "-t", "soon"});
    CHECK(bad_time.code == 2);
    CHECK(bad_time.err.find("--run-time") != std::string::npos);
    CHECK(bad_time.err.find("invalid duration 'soon'") != std::string::npos);

    auto bad_users = run_stampede({"run", "-f", scenario, "-u", "many"});
    CHECK(bad_users.code == 2);
    CHECK(bad_users.err.find("--users") != std::string::npos);

    auto unknown = run_stampede({"run", "-f", scenario, "--userz", "3"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("--userz") != std::string::npos);

    auto profile = run_stampede({"run", "-f", scenario, "--profile", "quik"});
    CHECK(profile.code == 2);
    CHECK(profile.err.find("--profile: no profile named 'quik'") != std::string::npos);
    CHECK(profile.err.find("did you mean 'quick'?") != std::string::npos);

    auto host = run_stampede({"run", "-f", scenario, "-H", "localhost:80"});
    CHECK(host.code == 2);
    CHECK(host.err.find("--host") != std::string::npos);

    auto missing = run_stampede({"run"});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("--scenario") != std::string::npos);
}

TEST_CASE("validate checks a file without sending traffic", "[cli]") {
    auto ok = run_stampede({"validate", "-f", EXAMPLES_DIR "/quickstart.yaml"});
    CHECK(ok.code == 0);
    CHECK(ok.out.find("quickstart.yaml: ok") != std::string::npos);

    temp_dir dir;
    write_file(dir.file("bad.yaml"), "host: http://127.0.0.1:9\nuser_classes:\n  - tasks:\n      - path: /x\n        mehtod: GET\n");
    auto bad = run_stampede({"validate", "-f", dir.file("bad.yaml")});
    CHECK(bad.code == 2);
    CHECK(bad.err.find(dir.file("bad.yaml") + ":5:9: unknown key 'mehtod' in task (did you mean 'method'?)") !=
          std::string::npos);

    // run refuses the same file before any traffic, with the same message.
    auto run = run_stampede({"run", "-f", dir.file("bad.yaml"), "-t", "1s"});
    CHECK(run.code == 2);
    CHECK(run.err.find(":5:9: unknown key 'mehtod'") != std::string::npos);
    CHECK(run.out.find("Starting") == std::string::npos);
}
