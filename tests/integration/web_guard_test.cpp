// The master's web server keeps other sites out (request_guard, http_server): requests under
// another name, state changes from other origins or without the control token, framing, request
// smuggling, and the credentials' edge cases, each against the real binary during a real run.
// What a real browser does is in tests/browser/cross_site.mjs.
#include <catch2/catch.hpp>
#include <csignal>
#include <thread>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string token = "guard-test-control-token";

struct ui_run {
    temp_dir dir;
    std::unique_ptr<child_process> process;
    int port = 0;
};

// `stampede run` in the web UI's mode (waiting for a start from the page), once it is ready.
std::unique_ptr<ui_run> start_ui_run(const demo_target& target, std::vector<std::string> extra) {
    auto r = std::make_unique<ui_run>();
    write_file(r->dir.file("s.yaml"), "host: " + target.url() + R"(
user_classes:
  - name: Reader
    wait_time: {constant: 50ms}
    tasks: [{name: read, path: /ok}]
)");
    std::vector<std::string> args = {STAMPEDE_BIN, "run", "-f", r->dir.file("s.yaml"), "--workers", "1", "--web-port", "0",
                                     "--autoquit", "0s", "--json", r->dir.file("r.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    r->process = std::make_unique<child_process>(args);
    REQUIRE(r->process->wait_for_output("Ready: start the run from", 15s));
    const auto out = r->process->out();
    r->port = std::stoi(out.substr(out.find("Web UI on http://127.0.0.1:") + 27));
    return r;
}

std::string request(const std::string& method, const std::string& path, const std::string& headers,
                    const std::string& body = "") {
    return method + " " + path + " HTTP/1.1\r\nConnection: close\r\n" + headers +
           (method == "GET" ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n") + "\r\n" + body;
}

const std::string local = "Host: 127.0.0.1\r\n";
const std::string with_token = "X-Stampede-Token: " + token + "\r\n";
const std::string json_type = "Content-Type: application/json\r\n";
const std::string start_body = R"({"users": 2, "spawn_rate": 50})";

int status_of(const std::string& response) { return response.size() > 12 ? std::atoi(response.substr(9, 3).c_str()) : 0; }

std::string error_of(const std::string& response) {
    const auto at = response.find("\r\n\r\n");
    REQUIRE(at != std::string::npos);
    return json::parse(response.substr(at + 4)).value("error", "");
}

std::string state_of(int port) {
    const auto r = http_raw(port, request("GET", "/api/stats", local));
    return json::parse(r.substr(r.find("\r\n\r\n") + 4))["state"];
}

}  // namespace

TEST_CASE("the web server answers only to its own names: another one (DNS rebinding) gets nothing", "[web][guard]") {
    demo_target target;
    auto run = start_ui_run(target, {"--web-token", token, "--web-allowed-host", "loadtest.internal"});
    auto r = http_raw(run->port, request("GET", "/api/stats", "Host: evil.example:" + std::to_string(run->port) + "\r\n"));
    CHECK(status_of(r) == 403);
    CHECK(error_of(r).find("'evil.example'") != std::string::npos);
    CHECK(r.find("\"totals\"") == std::string::npos);
    CHECK(status_of(http_raw(run->port, request("GET", "/api/token", "Host: evil.example\r\n"))) == 403);
    for (const auto* host : {"localhost", "127.0.0.1", "LoadTest.Internal"})
        CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", "Host: " + std::string(host) + "\r\n"))) == 200);
    CHECK(status_of(http_raw(run->port, "GET /api/stats HTTP/1.1\r\nConnection: close\r\n\r\n")) == 400);
    run->process->send(SIGINT);
    CHECK(run->process->wait(15s));
}

TEST_CASE("no other origin can start, change, reset or stop a run, but the token and the page's own origin can",
          "[web][guard]") {
    demo_target target;
    auto run = start_ui_run(target, {"--web-token", token, "-t", "4s"});
    const auto other = "Origin: http://127.0.0.1:9\r\n";
    // What a cross-site form or a no-cors fetch can send: no token, another origin.
    for (const auto& headers : {local, local + other + with_token, local + "Sec-Fetch-Site: cross-site\r\n" + with_token,
                                local + "Sec-Fetch-Site: same-site\r\n" + with_token,
                                local + "X-Stampede-Token: not-the-token\r\n"}) {
        const auto r = http_raw(run->port, request("POST", "/api/swarm", headers + json_type, start_body));
        CHECK(status_of(r) == 403);
        const auto form = http_raw(run->port, request("POST", "/api/swarm", headers + "Content-Type: application/x-www-form-urlencoded\r\n",
                                                      "user_count=20&spawn_rate=5"));
        CHECK(status_of(form) == 403);
    }
    CHECK(state_of(run->port) == "ready");
    // The page's own origin with the token starts it; with no run time given, -t stands.
    const auto authority = "127.0.0.1:" + std::to_string(run->port);  // as a browser names it
    const auto same = "Host: " + authority + "\r\nOrigin: http://" + authority + "\r\nSec-Fetch-Site: same-origin\r\n";
    REQUIRE(status_of(http_raw(run->port, request("POST", "/api/swarm", same + with_token + json_type, start_body))) == 200);
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (state_of(run->port) != "running" && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(100ms);
    REQUIRE(state_of(run->port) == "running");
    // Running: no change, reset or stop from elsewhere.
    CHECK(status_of(http_raw(run->port, request("POST", "/api/swarm", local + other + with_token + json_type,
                                                R"({"users": 50, "spawn_rate": 50})"))) == 403);
    CHECK(status_of(http_raw(run->port, request("POST", "/api/reset", local + "Sec-Fetch-Site: cross-site\r\n" + with_token))) == 403);
    CHECK(status_of(http_raw(run->port, request("POST", "/api/stop", local))) == 403);
    CHECK(state_of(run->port) == "running");
    // A script with the token (a Locust-style form post) changes it.
    CHECK(status_of(http_raw(run->port, request("POST", "/api/swarm", local + with_token + "Content-Type: application/x-www-form-urlencoded\r\n",
                                                "user_count=3&spawn_rate=50"))) == 200);
    REQUIRE(run->process->wait(20s) == 0);
    const auto result = json::parse(read_file(run->dir.file("r.json")));
    CHECK(result["duration_s"].get<double>() < 6);  // -t 4s, not until stopped
    CHECK(result["events"].back()["detail"].get<std::string>().find("run time") != std::string::npos);
}

TEST_CASE("without --web-token the control token is random, and GET /api/token gives it to the page's own origin",
          "[web][guard]") {
    demo_target target;
    auto run = start_ui_run(target, {"-t", "1s"});
    auto r = http_raw(run->port, request("GET", "/api/token", local));
    REQUIRE(status_of(r) == 200);
    const auto answer = json::parse(r.substr(r.find("\r\n\r\n") + 4));
    const std::string random = answer["token"];
    CHECK(random.size() == 32);
    CHECK(answer["header"] == "X-Stampede-Token");
    CHECK(status_of(http_raw(run->port, request("POST", "/api/swarm", local + with_token + json_type, start_body))) == 403);
    CHECK(status_of(http_raw(run->port, request("POST", "/api/swarm", local + "X-Stampede-Token: " + random + "\r\n" + json_type,
                                                start_body))) == 200);
    CHECK(run->process->wait(20s) == 0);
}

TEST_CASE("every answer forbids framing, and the live page with it", "[web][guard]") {
    demo_target target;
    auto run = start_ui_run(target, {"--web-auth", "ops:s3cret"});
    for (const auto& auth : {std::string(), std::string("Authorization: Basic b3BzOnMzY3JldA==\r\n")}) {
        const auto r = http_raw(run->port, request("GET", "/", local + auth));
        CHECK(r.find("X-Frame-Options: DENY\r\n") != std::string::npos);
        CHECK(r.find("Content-Security-Policy: frame-ancestors 'none'\r\n") != std::string::npos);
        CHECK(r.find("X-Content-Type-Options: nosniff\r\n") != std::string::npos);
    }
    run->process->send(SIGINT);
    CHECK(run->process->wait(15s));
}

TEST_CASE("the Basic scheme is matched in any case, and empty users or passwords are refused", "[web][guard]") {
    demo_target target;
    auto run = start_ui_run(target, {"--web-auth", "ops:s3cret"});
    for (const auto* scheme : {"Basic", "basic", "BASIC"})
        CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", local + "Authorization: " + std::string(scheme) +
                                                                             " b3BzOnMzY3JldA==\r\n"))) == 200);
    CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", local + "Authorization: Bearer b3BzOnMzY3JldA==\r\n"))) == 401);
    CHECK(status_of(http_raw(run->port, request("GET", "/api/stats", local + "Authorization: Basic\r\n"))) == 401);
    run->process->send(SIGINT);
    CHECK(run->process->wait(15s));
    for (const auto* bad : {":", "admin:", ":s3cret"}) {
        const auto out = run_stampede({"run", "-f", run->dir.file("s.yaml"), "--web-auth", bad});
        CHECK(out.code == 2);
        CHECK(out.err.find("--web-auth") != std::string::npos);
        CHECK(out.err.find("empty") != std::string::npos);
    }
}

TEST_CASE("a request framed two ways is refused and its connection closed: nothing is smuggled in its body",
          "[web][guard]") {
    demo_target target;
    auto run = start_ui_run(target, {"--web-token", token});
    // The body, read by Content-Length, would hold a second request under a proxy that chunks.
    const std::string smuggled = "GET /api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (const auto* te : {"xchunked", "chunked", "chunked, identity", "gzip"}) {
        const auto r = http_raw(run->port, "POST /api/stop HTTP/1.1\r\nHost: 127.0.0.1\r\n" + with_token +
                                               "Transfer-Encoding: " + te + "\r\nContent-Length: " +
                                               std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled);
        CHECK(status_of(r) == 400);
        CHECK(r.find("Connection: close") != std::string::npos);
        CHECK(r.find("\"token\"") == std::string::npos);  // the second request was never read
    }
    auto r = http_raw(run->port, "POST /api/stop HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: xchunked\r\n" + with_token +
                                     "\r\n0\r\n\r\n");
    CHECK(status_of(r) == 400);
    CHECK(error_of(r) == "the only Transfer-Encoding this server reads is 'chunked'");
    // Chunked alone is read as HTTP/1.1 says.
    r = http_raw(run->port, "POST /api/stop HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n" +
                                with_token + "\r\n0\r\n\r\n");
    CHECK(status_of(r) == 409);  // read, and answered: no run is going yet
    CHECK(state_of(run->port) == "ready");
    run->process->send(SIGINT);
    CHECK(run->process->wait(15s));
}
