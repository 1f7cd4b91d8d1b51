// The command line as users meet it: help, validation, bad flags and bad files.
#include <filesystem>

#include <catch2/catch.hpp>

#include <set>

#include "tests/integration/process.hpp"

using namespace stampede::testing;

// (A name starting with "--" would be read by Catch as an option of its own, and the test
// would never run.)
TEST_CASE("the run's --help documents its flags", "[cli]") {
    auto help = run_stampede({"run", "--help"});
    CHECK(help.code == 0);
    for (auto flag : {"--scenario", "--host", "--users", "--spawn-rate", "--run-time", "--tags", "--exclude-tags",
                      "--profile", "--csv", "--json", "--headless", "--stop-timeout", "--threads",
                      "--exit-code-on-error", "--web-host", "--web-auth", "--web-allowed-host", "--web-token",
                      "--allow-unauthenticated"})
        CHECK(help.out.find(flag) != std::string::npos);
    auto master = run_stampede({"master", "--help"});
    for (auto flag : {"--bind", "--token", "--tls-ca", "--allow-unauthenticated", "--heartbeat-timeout"})
        CHECK(master.out.find(flag) != std::string::npos);
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

TEST_CASE("flag values out of range are usage errors that name the flag and the limit", "[cli]") {
    const std::string scenario = EXAMPLES_DIR "/quickstart.yaml";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"run", "-f", scenario, "-r", "nan"}, "--spawn-rate: must be a number above 0 and at most 1000000, got 'nan'"},
        {{"run", "-f", scenario, "-r", "1e400"}, "--spawn-rate: must be a number above 0 and at most 1000000, got '1e400'"},
        {{"run", "-f", scenario, "--threads", "100000"}, "--threads: must be a whole number from 0 to 1024, got '100000'"},
        {{"run", "-f", scenario, "--workers", "8", "--threads", "200"}, "exceed the 1024 load threads"},
        {{"run", "-f", scenario, "-u", "99999999999"}, "--users: must be a whole number from 0 to 10000000"},
        {{"run", "-f", scenario, "--exit-code-on-error", "1e300"}, "--exit-code-on-error: must be a whole number from 0 to 255"},
        {{"run", "-f", scenario, "-H", "http://127.0.0.1:1/base?x=1#frag"}, "takes no query or fragment"},
        {{"run", "-f", scenario, "-H", "http://user:pw@127.0.0.1:1"}, "user info (user:password@) is not supported"},
        {{"worker", "--master", "garbage"}, "--master: expected HOST:PORT"},
        {{"worker", "--master", "127.0.0.1:99999"}, "--master: the port must be from 1 to 65535, got '99999'"},
        {{"worker", "--master", "127.0.0.1:5557", "--threads", "100000"}, "--threads: must be a whole number"},
        {{"master", "-f", scenario, "--bind", "0.0.0.0:70000"}, "--bind: the port must be from 0 to 65535"},
    };
    for (const auto& [args, message] : cases) {
        auto run = run_stampede(args, std::chrono::seconds(10));
        INFO(args[0] << " " << args[args.size() - 2] << " " << args.back() << "\n" << run.err);
        CHECK(run.code == 2);
        CHECK(run.err.find(message) != std::string::npos);
        CHECK(run.err.size() < 400);  // the reason, not a 300-digit number
    }
}

TEST_CASE("what run cannot run, validate refuses: encodings, user info", "[cli]") {
    temp_dir dir;
    const std::string utf16("\xFF\xFEh\0o\0s\0t\0", 10);
    write_file(dir.file("utf16.yaml"), utf16);
    write_file(dir.file("latin1.yaml"), "host: http://127.0.0.1:9\nuser_classes:\n  - tasks: [{path: /caf\xE9}]\n");
    write_file(dir.file("userinfo.yaml"), "host: http://u:p@127.0.0.1:9\nuser_classes:\n  - tasks: [{path: /}]\n");
    for (const auto* name : {"utf16.yaml", "latin1.yaml", "userinfo.yaml"}) {
        INFO(name);
        auto validate = run_stampede({"validate", "-f", dir.file(name)});
        CHECK(validate.code == 2);
        auto run = run_stampede({"run", "-f", dir.file(name), "-t", "1s"}, std::chrono::seconds(10));
        CHECK(run.code == 2);
        CHECK(run.out.find("Starting") == std::string::npos);
    }
    CHECK(run_stampede({"validate", "-f", dir.file("utf16.yaml")}).err.find("is UTF-16") != std::string::npos);
}

TEST_CASE("a scenario whose host does not resolve ends run at once with the reason", "[cli]") {
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: http://no-such-host.invalid:8080\nuser_classes:\n  - tasks: [{path: /}]\n");
    const auto started = std::chrono::steady_clock::now();
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-t", "30s"}, std::chrono::seconds(20));
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
    CHECK(run.code == 2);
    CHECK(run.err.find("cannot resolve host 'no-such-host.invalid'") != std::string::npos);
}

TEST_CASE("comma-separated tags, as run scripts write them, select tasks", "[cli]") {
    temp_dir dir;
    demo_target target;
    write_file(dir.file("s.yaml"), "host: " + target.url() + R"(
user_classes:
  - name: Bus
    tasks:
      - {name: publish, path: /health, tags: [event-bus]}
      - {name: flood, path: /health, tags: [throughput]}
      - {name: other, path: /health, tags: [other], checks: [{body_contains: dropped-check}]}
  - name: Dropped
    tasks:
      - {name: gone, path: /health, tags: [elsewhere], checks: [{body_contains: another-dropped-check}]}
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--tags", "event-bus,throughput", "-u", "1", "-r", "10",
                             "-t", "1s", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = nlohmann::json::parse(read_file(dir.file("r.json")));
    std::set<std::string> names;
    for (const auto& e : result["endpoints"]) names.insert(e["name"].get<std::string>());
    CHECK(names == std::set<std::string>{"publish", "flood"});
    // The checks of tasks and classes the tags dropped are not listed as if they had run.
    CHECK(result["checks"].empty());
    CHECK(run.out.find("dropped-check") == std::string::npos);
    CHECK(run.out.find("Checks") == std::string::npos);
}

TEST_CASE("every example validates", "[cli]") {
    int examples = 0;
    for (const auto& entry : std::filesystem::directory_iterator(EXAMPLES_DIR)) {
        if (entry.path().extension() != ".yaml") continue;
        ++examples;
        auto ok = run_stampede({"validate", "-f", entry.path().string()});
        INFO(entry.path() << ": " << ok.out << ok.err);
        CHECK(ok.code == 0);
    }
    CHECK(examples >= 7);
}
