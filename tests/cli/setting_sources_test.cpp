#include "cli/setting_sources.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace stampede::cli;

namespace {

const std::vector<flag_spec> master_flags = {
    {"scenario", true, false}, {"users", true, false}, {"spawn-rate", true, false}, {"headless", false, false},
    {"tags", true, true},      {"host-url", true, true}, {"bind", true, false},     {"expect-workers", true, false},
    {"token", true, false}};

struct fixture {
    std::map<std::string, std::string> env;
    std::string config_text;
    std::set<std::string> given;
    std::string command = "master";
    std::vector<flag_spec> flags = master_flags;

    stampede::common::result<gathered_settings> gather() {
        setting_inputs in;
        in.command = command;
        in.flags = flags;
        in.other_flags = {"master", "master-wait", "workers", "users"};
        in.given = given;
        in.environment = [this](const std::string& name) -> const char* {
            const auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        };
        auto parsed = parse_config(config_text, "medium.conf");
        REQUIRE(parsed.ok());
        in.config = *parsed;
        in.config_path = "medium.conf";
        return gather_settings(in);
    }
};

const setting* find(const gathered_settings& g, const std::string& flag) {
    for (const auto& s : g.settings)
        if (s.flag == flag) return &s;
    return nullptr;
}

}  // namespace

TEST_CASE("a flag's variable is STAMPEDE_ and its long name in capitals", "[settings]") {
    CHECK(environment_name("spawn-rate") == "STAMPEDE_SPAWN_RATE");
    CHECK(environment_name("users") == "STAMPEDE_USERS");
    CHECK(environment_name("expect-workers-max-wait") == "STAMPEDE_EXPECT_WORKERS_MAX_WAIT");
}

TEST_CASE("Locust's config format: key = value, key: value, comments, lists, quotes, sections", "[settings]") {
    auto parsed = parse_config("# a comment\n; another\n\n[locust]\nusers = 10\nspawn_rate: 2\n"
                               "host = \"http://a:8080\"\ntags = [Critical, Normal]\nheadless\n  web-auth = u:p=w  \n",
                               "x.conf");
    REQUIRE(parsed.ok());
    const auto& e = *parsed;
    REQUIRE(e.size() == 6);
    CHECK((e[0].key == "users" && e[0].value == "10" && e[0].line == 5));
    CHECK((e[1].key == "spawn_rate" && e[1].value == "2" && e[1].line == 6));
    CHECK((e[2].key == "host" && e[2].value == "http://a:8080"));
    CHECK(e[3].value == "[Critical, Normal]");
    CHECK((e[4].key == "headless" && e[4].value == "true"));
    CHECK((e[5].key == "web-auth" && e[5].value == "u:p=w"));

    // A comment after a value, as ConfigArgParse cuts it: after white space, '#' or ';'.
    auto commented = parse_config("locustfile = agents.yaml      # Locust's name for --scenario\nusers = 50  # peak\n"
                                  "host = http://a:8080/#frag\nheadless ; on\ntags = [a, b]\t; two\nname = a;b\n",
                                  "c.conf");
    REQUIRE(commented.ok());
    REQUIRE(commented->size() == 6);
    CHECK((*commented)[0].value == "agents.yaml");
    CHECK((*commented)[1].value == "50");
    CHECK((*commented)[2].value == "http://a:8080/#frag");
    CHECK(((*commented)[3].key == "headless" && (*commented)[3].value == "true"));
    CHECK((*commented)[4].value == "[a, b]");
    CHECK((*commented)[5].value == "a;b");

    auto bad = parse_config("users = 1\n--users = 3\n", "x.conf");
    REQUIRE(!bad.ok());
    CHECK(bad.error() == "x.conf:2: expected 'key = value' with a flag's long name, got '--users = 3'");
    CHECK(!parse_config("= 4\n", "x.conf").ok());
}

TEST_CASE("precedence: a flag beats the environment, which beats the config file", "[settings]") {
    fixture f;
    f.config_text = "users = 5\nspawn-rate = 2\nexpect-workers = 3\n";
    f.env = {{"STAMPEDE_USERS", "4"}, {"STAMPEDE_SPAWN_RATE", "7"}};
    f.given = {"spawn-rate"};
    auto g = f.gather();
    REQUIRE(g.ok());
    REQUIRE(find(*g, "users"));
    CHECK(find(*g, "users")->values == std::vector<std::string>{"4"});
    CHECK(find(*g, "users")->source == "STAMPEDE_USERS");
    CHECK(find(*g, "spawn-rate") == nullptr);  // given on the command line: neither applies
    REQUIRE(find(*g, "expect-workers"));
    CHECK(find(*g, "expect-workers")->source == "medium.conf:3");
    CHECK(g->settings.size() == 2);
}

TEST_CASE("an empty variable counts as unset", "[settings]") {
    fixture f;
    f.env = {{"STAMPEDE_USERS", ""}};
    f.config_text = "users = 5\n";
    auto g = f.gather();
    REQUIRE(g.ok());
    CHECK(find(*g, "users")->source == "medium.conf:1");
}

TEST_CASE("switches take true or false, from either source", "[settings]") {
    fixture f;
    f.env = {{"STAMPEDE_HEADLESS", "yes"}};
    auto on = f.gather();
    REQUIRE(on.ok());
    REQUIRE(find(*on, "headless"));
    CHECK(find(*on, "headless")->values.empty());
    CHECK(as_arguments(*find(*on, "headless")) == std::vector<std::string>{"--headless"});

    f.env = {{"STAMPEDE_HEADLESS", "false"}};
    auto off = f.gather();
    REQUIRE(off.ok());
    CHECK(find(*off, "headless") == nullptr);

    f.env = {{"STAMPEDE_HEADLESS", "maybe"}};
    auto bad = f.gather();
    REQUIRE(!bad.ok());
    CHECK(bad.error() == "STAMPEDE_HEADLESS: --headless is a switch: true or false, got 'maybe'");

    f.env.clear();
    f.config_text = "\nheadless = perhaps\n";
    auto bad_file = f.gather();
    REQUIRE(!bad_file.ok());
    CHECK(bad_file.error() == "medium.conf:2: --headless is a switch: true or false, got 'perhaps'");
}

TEST_CASE("lists: [a, b] in a file, white space in a variable, repeated lines add up", "[settings]") {
    fixture f;
    f.config_text = "tags = [Critical, Normal]\nhost-url = api=http://a:1\nhost-url = web=http://b:2\n";
    auto g = f.gather();
    REQUIRE(g.ok());
    CHECK(find(*g, "tags")->values == std::vector<std::string>{"Critical", "Normal"});
    std::vector<std::string> urls;
    for (const auto& s : g->settings)
        if (s.flag == "host-url") urls.insert(urls.end(), s.values.begin(), s.values.end());
    CHECK(urls == std::vector<std::string>{"api=http://a:1", "web=http://b:2"});
    CHECK(as_arguments(*find(*g, "tags")) == std::vector<std::string>{"--tags=Critical", "--tags=Normal"});

    f.config_text.clear();
    f.env = {{"STAMPEDE_HOST_URL", "api=http://a:1  web=http://b:2"}};
    auto from_env = f.gather();
    REQUIRE(from_env.ok());
    CHECK(find(*from_env, "host-url")->values == std::vector<std::string>{"api=http://a:1", "web=http://b:2"});
}

TEST_CASE("a config file's mistakes name the file and line", "[settings]") {
    fixture f;
    f.config_text = "users = 5\nusres = 3\n";
    auto typo = f.gather();
    REQUIRE(!typo.ok());
    CHECK(typo.error() == "medium.conf:2: unknown setting 'usres' (did you mean 'users'?)");

    f.config_text = "users = 5\n\nusers = 6\n";
    auto twice = f.gather();
    REQUIRE(!twice.ok());
    CHECK(twice.error() == "medium.conf:3: 'users' is set twice (first on line 1)");

    f.config_text = "users =\n";
    auto empty = f.gather();
    REQUIRE(!empty.ok());
    CHECK(empty.error() == "medium.conf:1: --users needs a value");
}

TEST_CASE("a Locust config file carries over: its names, its mode keys, its keys with no use here", "[settings]") {
    fixture f;
    f.config_text = "locustfile = agents.yaml\nmaster = true\nmaster-bind-port = 6000\nloglevel = INFO\n"
                    "master-wait = 10s\nworkers = 2\n";
    auto g = f.gather();
    REQUIRE(g.ok());
    CHECK(find(*g, "scenario")->values == std::vector<std::string>{"agents.yaml"});
    CHECK(find(*g, "bind")->values == std::vector<std::string>{"0.0.0.0:6000"});
    CHECK(find(*g, "bind")->source == "medium.conf:3");
    REQUIRE(g->warnings.size() == 1);  // master-wait and workers are other commands': left alone, unsaid
    CHECK(g->warnings[0] == "medium.conf:4: Locust's 'loglevel' has no counterpart in Stampede: left alone");

    fixture w;
    w.command = "worker";
    w.flags = {{"master", true, false}, {"threads", true, false}};
    w.config_text = "master-host = stampede-master\nmaster-port = 5557\nusers = 10\nmaster = true\n";
    auto worker = w.gather();
    REQUIRE(worker.ok());
    CHECK(find(*worker, "master")->values == std::vector<std::string>{"stampede-master:5557"});
    REQUIRE(worker->warnings.size() == 1);
    CHECK(worker->warnings[0].find("medium.conf:4: 'master = true' is Locust's mode") == 0);
}

TEST_CASE("a worker's --master from its variable beats the file's master-host", "[settings]") {
    fixture w;
    w.command = "worker";
    w.flags = {{"master", true, false}};
    w.env = {{"STAMPEDE_MASTER", "10.0.0.5:5557"}};
    w.config_text = "master-host = elsewhere\n";
    auto g = w.gather();
    REQUIRE(g.ok());
    REQUIRE(g->settings.size() == 1);
    CHECK(g->settings[0].source == "STAMPEDE_MASTER");
}
