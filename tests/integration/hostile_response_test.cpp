// Responses no well-behaved server sends, from a scripted server on loopback: bodies that are
// not ASCII, interim 1xx responses, answers sent twice or with no request outstanding, and
// bodies that make a backtracking regex engine crash or stall. Each run must end on time,
// count what the server served, and pair every response with its own request.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/hostile_server.hpp"
#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Answers every request on a connection with `respond(request index)`.
hostile_server::handler answering(std::function<std::string(std::uint64_t)> respond,
                                  std::chrono::milliseconds delay = 0ms) {
    return [respond, delay](hostile_connection& c) {
        for (std::uint64_t i = 0;; ++i) {
            if (c.read_request().empty()) return;
            if (delay.count()) std::this_thread::sleep_for(delay);
            if (!c.write(respond(i))) return;
        }
    };
}

struct run_result {
    int code;
    json doc;
};

run_result run_scenario(const temp_dir& dir, const std::string& scenario, std::vector<std::string> extra = {}) {
    write_file(dir.file("s.yaml"), scenario);
    std::vector<std::string> args = {"run", "-f", dir.file("s.yaml"), "--headless", "--json", dir.file("r.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = run_stampede(args, 30s);
    INFO(run.out << run.err);
    REQUIRE((run.code == 0 || run.code == 1));
    return {run.code, json::parse(read_file(dir.file("r.json")))};
}

std::uint64_t total(const json& doc, const char* what) { return doc["totals"][what].get<std::uint64_t>(); }

// At least `at_least` requests, each one the server read counted, and every one failed.
void check_all_counted_and_failed(const run_result& r, const hostile_server& server, std::uint64_t at_least) {
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= at_least);
    CHECK(requests == server.requests());
    CHECK(total(r.doc, "failures") == requests);
}

// One user asking for one page every `wait`, with `checks` on it, for `seconds`.
run_result run_one_page(const temp_dir& dir, const hostile_server& server, const std::string& checks,
                        const std::string& wait = "100ms", const std::string& seconds = "2s") {
    return run_scenario(dir, "host: " + server.url() + "\nuser_classes:\n  - wait_time: " + wait +
                                 "\n    tasks: [{name: page, path: /, checks: [" + checks + "]}]\n",
                        {"-u", "1", "-r", "10", "-t", seconds});
}

}  // namespace

TEST_CASE("a failing check on a body that is not ASCII is counted, its message cut on a character boundary",
          "[hostile]") {
    std::string body(79, 'x');
    for (int i = 0; i < 20; ++i) body += "\xC3\xA9";  // é
    hostile_server server(answering([&](auto) { return http_ok(body); }));
    temp_dir dir;
    const auto r = run_one_page(dir, server, "{body_contains: zzz}");
    CHECK(r.code == 1);
    check_all_counted_and_failed(r, server, 5);
    REQUIRE(r.doc["errors"].size() == 1);
    const auto message = r.doc["errors"][0]["message"].get<std::string>();
    // 79 x and half of the 80th byte's character would be a cut é: the quote stops before it.
    CHECK(message.find(std::string(79, 'x') + "...") != std::string::npos);
}

TEST_CASE("invalid UTF-8 in a body is quoted with replacement characters, and the run keeps its counts",
          "[hostile]") {
    hostile_server server(answering([](auto) { return http_ok("\xFF\xFE binary \x80 tail"); }));
    temp_dir dir;
    const auto r = run_one_page(dir, server, "{body_contains: zzz}");
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= 5);
    CHECK(requests == server.requests());
    REQUIRE(r.doc["errors"].size() == 1);
    CHECK(r.doc["errors"][0]["message"].get<std::string>().find("\xEF\xBF\xBD\xEF\xBF\xBD binary \xEF\xBF\xBD tail") !=
          std::string::npos);
}

TEST_CASE("interim 100 and 103 responses are skipped: the final response is the request's", "[hostile]") {
    hostile_server server(answering([](std::uint64_t i) {
        const std::string interim = i % 2 ? "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                                          : "HTTP/1.1 100 Continue\r\n\r\n";
        return interim + interim + http_ok("{\"n\": " + std::to_string(i) + "}", "application/json");
    }));
    temp_dir dir;
    const auto r = run_one_page(dir, server, "{json: n, exists: true}", "20ms", "2s");
    CHECK(r.code == 0);
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= 10);
    CHECK(requests == server.requests());
    CHECK(total(r.doc, "failures") == 0);
}

TEST_CASE("an endless stream of 100 Continue is one failed request, not many successes", "[hostile]") {
    hostile_server server([](hostile_connection& c) {
        if (c.read_request().empty()) return;
        const auto until = std::chrono::steady_clock::now() + 3s;
        while (std::chrono::steady_clock::now() < until && c.write("HTTP/1.1 100 Continue\r\n\r\n"))
            std::this_thread::sleep_for(1ms);
    });
    temp_dir dir;
    const auto r = run_scenario(dir, "host: " + server.url() + R"(
user_classes:
  - wait_time: 1s
    tasks: [{name: page, path: /, timeout: 500ms}]
)", {"-u", "1", "-r", "10", "-t", "2s"});
    CHECK(r.code == 1);
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= 1);
    CHECK(requests <= server.requests());
    CHECK(total(r.doc, "failures") == requests);
}

TEST_CASE("a 101 that nobody asked for fails the request", "[hostile]") {
    hostile_server server(answering([](auto) {
        return std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    }));
    temp_dir dir;
    const auto r = run_scenario(dir, "host: " + server.url() + R"(
user_classes:
  - wait_time: 100ms
    tasks: [{name: page, path: /}]
)", {"-u", "1", "-r", "10", "-t", "1s"});
    CHECK(r.code == 1);
    CHECK(total(r.doc, "requests") >= 1);
    CHECK(total(r.doc, "failures") == total(r.doc, "requests"));
    REQUIRE(r.doc["errors"].size() == 1);
    CHECK(r.doc["errors"][0]["message"].get<std::string>().find("101") != std::string::npos);
}

TEST_CASE("a response sent twice is caught: no later request is paired with the copy", "[hostile]") {
    // Each answer comes 5 ms after its request, and again 30 ms later, while the user thinks.
    hostile_server server([](hostile_connection& c) {
        for (;;) {
            if (c.read_request().empty()) return;
            std::this_thread::sleep_for(5ms);
            if (!c.write(http_ok("once"))) return;
            std::this_thread::sleep_for(30ms);
            if (!c.write(http_ok("twice"))) return;
        }
    });
    temp_dir dir;
    const auto r = run_one_page(dir, server, "{body_contains: once}");
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= 5);
    // Every answer read as a request's is its own: no check sees the copy, and none is fast.
    for (const auto& c : r.doc["checks"]) CHECK(c["failed"] == 0);
    const auto& page = r.doc["endpoints"][0];
    bool unsolicited = false;
    for (const auto& e : r.doc["errors"]) {
        unsolicited = unsolicited || e["message"].get<std::string>().find("no request outstanding") != std::string::npos;
    }
    CHECK(unsolicited);
    // The requests that found the copy waiting failed without being sent: the rest were served.
    CHECK(requests - total(r.doc, "failures") <= server.requests());
    CHECK(page["name"] == "page");
}

TEST_CASE("regex checks take linear time: no crash on long bodies, no stall on nested repeats", "[hostile]") {
    const std::string long_a(200 * 1024, 'a');
    hostile_server server(answering([&](std::uint64_t i) {
        switch (i % 3) {
            case 0: return http_ok(std::string(50 * 1024, 'a') + "c");
            case 1: return http_ok(long_a);
            default: return http_ok(std::string(40, 'a') + "!");
        }
    }));
    temp_dir dir;
    const auto started = std::chrono::steady_clock::now();
    const auto r = run_scenario(dir, "host: " + server.url() + R"(
user_classes:
  - tasks:
      - name: page
        path: /
        checks:
          - {body_matches: "a.*c", soft: true}
          - {body_matches: "(a|b)*c", soft: true}
          - {body_matches: "(a+)+$", soft: true}
)", {"-u", "1", "-r", "10", "-t", "2s"});
    CHECK(std::chrono::steady_clock::now() - started < 15s);
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= 30);
    CHECK(requests == server.requests());
    // Every third body ends in c (checks 1 and 2 pass); every other third has only a's (check 3 passes).
    const auto& checks = r.doc["checks"];
    REQUIRE(checks.size() == 3);
    const auto third = [&](int check, const char* field) { return checks[check][field].get<std::uint64_t>(); };
    CHECK(third(0, "passed") + third(0, "failed") == requests);
    CHECK(third(0, "passed") == (requests + 2) / 3);
    CHECK(third(1, "passed") == (requests + 2) / 3);
    CHECK(third(2, "passed") == (requests + 1) / 3);
}

TEST_CASE("max_body bounds a response body, per scenario and per step", "[hostile]") {
    const std::string big(20u << 20, 'b');  // past the 16 MiB default
    hostile_server server(answering([&](std::uint64_t) { return http_ok(big); }));
    temp_dir dir;
    const auto r = run_scenario(dir, "host: " + server.url() + R"(
max_body: 2KiB
user_classes:
  - wait_time: 100ms
    tasks:
      - {name: default, path: /a}
      - {name: raised, path: /b, max_body: 32MiB}
)", {"-u", "1", "-r", "10", "-t", "2s"});
    for (const auto& e : r.doc["endpoints"]) {
        INFO(e["name"]);
        if (e["name"] == "default") CHECK(e["failures"] == e["requests"]);
        if (e["name"] == "raised") CHECK(e["failures"] == 0);
    }
    bool named = false;
    for (const auto& e : r.doc["errors"])
        named = named || e["message"] == "the response body is larger than max_body (2048 bytes)";
    CHECK(named);
}

TEST_CASE("a Content-Length past max_body, its first body bytes in the same packet, fails the request without "
          "reserving that length",
          "[hostile]") {
    // Beast 1.74 still announces a body it has refused when bytes follow the head in one read;
    // the worker once reserved the announced length there and died of std::bad_alloc.
    hostile_server server(answering(
        [](auto) { return std::string("HTTP/1.1 200 OK\r\nContent-Length: 922337203758072\r\n\r\nok"); }));
    temp_dir dir;
    const auto r = run_one_page(dir, server, "{body_contains: ok}");
    CHECK(r.code == 1);
    check_all_counted_and_failed(r, server, 5);
    REQUIRE(r.doc["errors"].size() == 1);
    CHECK(r.doc["errors"][0]["message"].get<std::string>().find("larger than max_body") != std::string::npos);
}

TEST_CASE("a refused WebSocket upgrade whose Content-Length is huge fails the connect step without reserving it",
          "[hostile]") {
    hostile_server server(answering(
        [](auto) { return std::string("HTTP/1.1 200 OK\r\nContent-Length: 922337203758072\r\n\r\nno"); }));
    temp_dir dir;
    const auto r = run_scenario(dir, "host: " + server.url() + R"(
user_classes:
  - wait_time: 100ms
    tasks:
      - name: chat
        steps:
          - {name: upgrade, ws: connect, path: /ws}
)", {"-u", "1", "-r", "10", "-t", "2s"});
    CHECK(r.code == 1);
    check_all_counted_and_failed(r, server, 5);
    REQUIRE(r.doc["errors"].size() == 1);
    INFO(r.doc["errors"].dump());
    CHECK(r.doc["errors"][0]["message"].get<std::string>().find("WebSocket upgrade") != std::string::npos);
}

namespace {

// Every error row's message, one per line.
std::string messages_of(const json& doc) {
    std::string out;
    for (const auto& e : doc["errors"]) out += e["message"].get<std::string>() + "\n";
    return out;
}

// One user asking for one page with a 500 ms timeout, for 2 s.
run_result run_with_timeout(const temp_dir& dir, const hostile_server& server, const std::string& extra = "") {
    return run_scenario(dir, "host: " + server.url() + "\ntimeout: 500ms\n" + extra +
                                 "user_classes:\n  - wait_time: 50ms\n    tasks: [{name: page, path: /}]\n",
                        {"-u", "1", "-r", "10", "-t", "2s"});
}

}  // namespace

TEST_CASE("a response with neither a length nor a close fails at the request's timeout", "[hostile]") {
    hostile_server server([](hostile_connection& c) {
        if (c.read_request().empty()) return;
        c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nthe body goes on until the close that never comes");
        c.closed_by_peer(10s);
    });
    temp_dir dir;
    const auto r = run_with_timeout(dir, server);
    INFO(r.doc.dump());
    check_all_counted_and_failed(r, server, 2);
    CHECK(messages_of(r.doc) == "request timed out after 500ms\n");
}

TEST_CASE("a body that never ends is cut at max_body", "[hostile]") {
    hostile_server server([](hostile_connection& c) {
        if (c.read_request().empty()) return;
        c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        const std::string chunk = "4000\r\n" + std::string(0x4000, 'z') + "\r\n";
        for (int i = 0; i < 4096 && c.write(chunk); ++i) {}  // 64 MiB at most, or until the client goes
    });
    temp_dir dir;
    const auto r = run_with_timeout(dir, server, "max_body: 64KiB\n");
    INFO(r.doc.dump());
    check_all_counted_and_failed(r, server, 2);
    CHECK(messages_of(r.doc) == "the response body is larger than max_body (65536 bytes)\n");
}

TEST_CASE("headers past 8 KiB fail the request, and the next connection is served", "[hostile]") {
    std::atomic<int> answered{0};  // across connections: the worker drops one that failed
    hostile_server server(answering([&](std::uint64_t) {
        if (answered++ % 2) return http_ok("ok");
        return "HTTP/1.1 200 OK\r\nX-Big: " + std::string(20'000, 'h') + "\r\nContent-Length: 2\r\n\r\nok";
    }));
    temp_dir dir;
    const auto r = run_with_timeout(dir, server);
    INFO(r.doc.dump());
    const auto requests = total(r.doc, "requests");
    CHECK(requests >= 4);
    CHECK(requests == server.requests());
    const auto failures = total(r.doc, "failures");
    CHECK(failures >= 1);
    CHECK(failures < requests);  // every other answer is a good one
    CHECK(messages_of(r.doc).find("header limit exceeded") != std::string::npos);
}

TEST_CASE("a connection reset instead of an answer is a transport failure, and users reconnect", "[hostile]") {
    hostile_server server([](hostile_connection& c) {
        if (c.read_request().empty()) return;
        c.reset();
    });
    temp_dir dir;
    const auto r = run_with_timeout(dir, server);
    INFO(r.doc.dump());
    check_all_counted_and_failed(r, server, 5);
    CHECK(server.requests() == server.connections());
    CHECK(messages_of(r.doc).find("reset by peer") != std::string::npos);
}

TEST_CASE("an answer dribbled a byte at a time fails at the request's timeout, however alive it looks", "[hostile]") {
    hostile_server server([](hostile_connection& c) {
        if (c.read_request().empty()) return;
        const std::string answer = http_ok(std::string(100, 's'));
        for (char byte : answer) {
            if (!c.write(std::string(1, byte))) return;
            std::this_thread::sleep_for(50ms);
        }
    });
    temp_dir dir;
    const auto r = run_with_timeout(dir, server);
    INFO(r.doc.dump());
    check_all_counted_and_failed(r, server, 2);
    CHECK(messages_of(r.doc) == "request timed out after 500ms\n");
}

TEST_CASE("a binary body is counted, and a check quoting it keeps the result valid JSON", "[hostile]") {
    std::string binary;
    for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
    hostile_server server(answering([&](auto) { return http_ok(binary, "application/octet-stream"); }));
    temp_dir dir;
    const auto r = run_one_page(dir, server, "{body_contains: text}");  // run_scenario parsed r.json
    check_all_counted_and_failed(r, server, 5);
    REQUIRE(r.doc["errors"].size() == 1);
    CHECK(r.doc["errors"][0]["message"].get<std::string>().find("text") != std::string::npos);
}
