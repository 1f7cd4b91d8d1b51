// The hosts a scenario names: `host`, `hosts` and `tls`, which step goes where, and --host-url.
#include <catch2/catch.hpp>

#include "scenario/load_plan.hpp"
#include "scenario/loader/scenario_loader.hpp"

using namespace stampede::common;
using namespace stampede::lang;

namespace {

const char* pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

load_options files() {
    load_options o;
    o.read_file = [](const std::string& name) -> result<std::string> {
        if (name == "ca.pem" || name == "client.pem" || name == "client.key") return std::string(pem);
        if (name == "plain.txt") return std::string("hello\n");
        return fail("No such file or directory");
    };
    return o;
}

scenario load_ok(const std::string& text) {
    auto r = load_scenario_text(text, "s.yaml", files());
    INFO(r.format());
    REQUIRE(r.ok());
    return *r.value;
}

std::string problems_of(const std::string& text) { return load_scenario_text(text, "s.yaml", files()).format(); }

const char* fleet = R"(host: http://127.0.0.1:8080
tls: {ca_file: ca.pem}
hosts:
  core-1: http://127.0.0.1:8101
  secure:
    url: https://agents.test:8443/api
    headers: {X-Agent: secure}
    tls: {server_name: agents.internal, client_cert: client.pem, client_key: client.key}
  loose: {url: https://127.0.0.1:9443, tls: {insecure: true}}
user_classes:
  - name: Fleet
    host: core-1
    tasks:
      - {name: health, path: /health}
      - {name: health, path: /health, host: secure}
      - name: flow
        host: loose
        steps:
          - {path: /a}
          - {path: /b, host: default}
  - name: Main
    tasks: [{name: health, path: /health}]
)";

}  // namespace

TEST_CASE("named hosts carry their URL, headers and TLS, and the scenario's tls is every host's default", "[hosts]") {
    const auto sc = load_ok(fleet);
    REQUIRE(sc.hosts.size() == 4);
    CHECK(sc.hosts[0].name == "default");
    CHECK(sc.hosts[0].url->port == "8080");
    CHECK(sc.hosts[1].name == "core-1");
    CHECK(sc.hosts[2].name == "secure");
    CHECK(sc.hosts[2].url->tls());
    CHECK(sc.hosts[2].url->base_path == "/api");
    CHECK(sc.hosts[2].headers.size() == 1);
    CHECK(sc.hosts[2].tls.ca_file == "ca.pem");  // from the scenario's tls
    CHECK(sc.hosts[2].tls.ca_pem == pem);
    CHECK(sc.hosts[2].tls.server_name == "agents.internal");
    CHECK(sc.hosts[2].tls.client_key_pem == pem);
    CHECK_FALSE(sc.hosts[3].tls.verify);
    CHECK(sc.hosts[3].tls.ca_file == "ca.pem");
    CHECK(sc.files.count("ca.pem") == 1);  // travels to workers with the scenario
}

TEST_CASE("a step goes to its own host, else its sequence's, its class's, the default", "[hosts]") {
    const auto sc = load_ok(fleet);
    const auto& fleet_class = sc.user_classes[0];
    CHECK(fleet_class.tasks[0].steps[0].host == 1);
    CHECK(fleet_class.tasks[1].steps[0].host == 2);
    CHECK(fleet_class.tasks[2].steps[0].host == 3);
    CHECK(fleet_class.tasks[2].steps[1].host == 0);
    CHECK(sc.user_classes[1].tasks[0].steps[0].host == 0);
    // One name on three hosts is three endpoints.
    std::set<std::uint32_t> health;
    for (const auto& e : sc.endpoints)
        if (e.name == "health") health.insert(e.host);
    CHECK(health == std::set<std::uint32_t>{0, 1, 2});
}

TEST_CASE("hosts that do not read are named with line and column", "[hosts]") {
    CHECK(problems_of("hosts:\n  a: ftp://x\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:6: host 'ftp://x': unsupported scheme 'ftp'; use http://, https://, ws:// or wss://\n");
    CHECK(problems_of("hosts:\n  default: http://x\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:3: 'default' is the name of the scenario's 'host'; give this one another name\n");
    CHECK(problems_of("hosts:\n  'a b': http://x\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:3: host name 'a b': use 1 to 64 letters, digits, '_', '-' or '.'\n");
    CHECK(problems_of("hosts:\n  a: {headers: {X: y}}\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:6: host 'a' has no 'url'\n");
    CHECK(problems_of("hosts:\n  a: {url: 'http://x', tsl: {}}\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:24: unknown key 'tsl' in host (did you mean 'tls'?)\n");
    CHECK(problems_of("host: http://x\nhosts: {core: http://y}\nuser_classes: [{tasks: [{path: /, host: core-1}]}]\n") ==
          "s.yaml:3:41: no host named 'core-1' (did you mean 'core'?)\n");
    CHECK(problems_of("host: http://x\nuser_classes: [{tasks: [{path: /, host: 'http://y'}]}]\n") ==
          "s.yaml:2:41: no host named 'http://y' (a URL goes under 'hosts', with a name to use here)\n");
}

TEST_CASE("TLS settings that cannot be used are refused where they are written", "[hosts]") {
    CHECK(problems_of("host: https://x\ntls: {ca_file: missing.pem}\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:16: cannot read CA file 'missing.pem': No such file or directory\n");
    CHECK(problems_of("host: https://x\ntls: {ca_file: plain.txt}\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:16: CA file 'plain.txt' is not PEM (no '-----BEGIN' line)\n");
    CHECK(problems_of("host: https://x\ntls: {client_cert: client.pem}\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:6: mutual TLS needs both client_cert and client_key\n");
    CHECK(problems_of("host: https://x\ntls: {insecure: maybe}\nuser_classes: [{tasks: [{path: /}]}]\n").find(
              "s.yaml:2:17: insecure") == 0);
    CHECK(problems_of("host: https://x\ntls: {server_name: ''}\nuser_classes: [{tasks: [{path: /}]}]\n") ==
          "s.yaml:2:20: server_name must be a host name of 1 to 253 characters\n");
}

TEST_CASE("more hosts than the limit are refused at once", "[hosts]") {
    std::string text = "hosts:\n";
    for (int i = 0; i < 1001; ++i) text += "  h" + std::to_string(i) + ": http://127.0.0.1:1\n";
    text += "user_classes: [{tasks: [{path: /}]}]\n";
    CHECK(problems_of(text) == "s.yaml:2:3: hosts names 1001 hosts; at most 1000\n");
}

TEST_CASE("the flags set hosts' URLs (--host-url a named one's, -H the default's), and no default is an error only where used", "[hosts]") {
    auto sc = load_ok(fleet);
    REQUIRE(apply_load_plan(sc, {.host = "https://10.0.0.1", .host_urls = {"core-1=http://10.0.0.2:81", "loose=http://10.0.0.3"}}).ok());
    CHECK(sc.hosts[0].url->url() == "https://10.0.0.1");
    CHECK(sc.hosts[1].url->url() == "http://10.0.0.2:81");
    CHECK(sc.hosts[3].url->url() == "http://10.0.0.3");

    auto typo = load_ok(fleet);
    CHECK(apply_load_plan(typo, {.host_urls = {"core1=http://x"}}).error() ==
          "--host-url: s.yaml has no host named 'core1' (did you mean 'core-1'?)");
    auto bare = load_ok(fleet);
    CHECK(apply_load_plan(bare, {.host_urls = {"http://x"}}).error() == "--host-url 'http://x': give NAME=URL");
    auto bad = load_ok(fleet);
    CHECK(apply_load_plan(bad, {.host_urls = {"core-1=ftp://x"}}).error() ==
          "--host-url core-1: host 'ftp://x': unsupported scheme 'ftp'; use http://, https://, ws:// or wss://");

    const char* named_only = "hosts: {api: http://127.0.0.1:1}\nuser_classes: [{host: api, tasks: [{path: /}]}]\n";
    auto no_default = load_ok(named_only);
    CHECK(apply_load_plan(no_default, {}).ok());
    auto uses_default = load_ok("hosts: {api: http://127.0.0.1:1}\nuser_classes: [{tasks: [{path: /}]}]\n");
    CHECK(apply_load_plan(uses_default, {}).error() ==
          "no host: set 'host' in s.yaml or pass --host (user class 'User1' sends to the default host)");
}
