// WebSocket steps end to end: the real stampede against the demo target's chat, message counts
// equal to what the target counted, streamed replies, wss://, and failures with their reasons.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"

using namespace stampede::testing;
using nlohmann::json;

namespace {

const char* chat_scenario = R"(
user_classes:
  - name: Chatter
    on_start:
      - {name: chat connect, ws: connect, path: /ws/chat}
    on_stop:
      - {name: chat close, ws: close}
    tasks:
      - name: chat turn
        steps:
          - {name: chat send, ws: send, json: {text: "hello {{ random_int(1, 9) }}"}}
          - {name: chat reply, ws: receive, timeout: 5s, checks: [{json: text, contains: hello}]}
          - {name: stream ask, ws: send, json: {stream: 5, text: thinking}}
          - {name: stream reply, ws: receive_until, until: {json: done, equals: true}, timeout: 5s}
          - {name: chat ping, ws: ping}
      - {name: health, path: /health}
)";

const json& endpoint(const json& result, const std::string& name) {
    for (const auto& e : result["endpoints"])
        if (e["name"] == name) return e;
    FAIL("no endpoint " << name);
    static const json none;
    return none;
}

std::uint64_t messages(const json& result, const std::string& name) {
    return endpoint(result, name).value("messages", std::uint64_t{0});
}

}  // namespace

TEST_CASE("a WebSocket scenario's message counts equal what the target counted, streamed replies too", "[websocket]") {
    demo_target target({"--ws-delay", "1ms", "--ws-stream-interval", "1ms"});
    auto r = run_scenario_with_result(target.url(), chat_scenario, {"-u", "4", "-r", "100", "-t", "2s"});
    INFO(r.run.out << r.run.err);
    REQUIRE(r.run.code == 0);
    const auto& result = r.result;
    CHECK(result["totals"]["failures"] == 0);
    const auto chat = target.stats()["websocket"];
    CHECK(chat["connections"] == 4);
    CHECK(chat["open"] == 0);  // the stop closed them
    CHECK(messages(result, "chat send") + messages(result, "stream ask") == chat["received"].get<std::uint64_t>());
    // A reply cut off by the stop is sent by the target and never counted: at most one per user.
    const auto received = messages(result, "chat reply") + messages(result, "stream reply");
    CHECK(received <= chat["sent"].get<std::uint64_t>());
    CHECK(received + 4 * 5 >= chat["sent"].get<std::uint64_t>());
    CHECK(messages(result, "stream reply") == 5 * endpoint(result, "stream reply")["requests"].get<std::uint64_t>());
    CHECK(endpoint(result, "stream reply (first message)")["requests"] == endpoint(result, "stream reply")["requests"]);
    CHECK(endpoint(result, "stream reply (first message)")["p50"].get<double>() <
          endpoint(result, "stream reply")["p50"].get<double>());
    CHECK(endpoint(result, "chat reply")["method"] == "WS");
    CHECK(endpoint(result, "chat connect")["connect"]["count"] == 4);
    // Every WebSocket endpoint says its messages, as the docs promise: 0 for connect and close.
    for (const auto& e : result["endpoints"])
        if (e["method"] == "WS") CHECK(e.contains("messages"));
    CHECK(endpoint(result, "chat connect")["messages"] == 0);
    CHECK(endpoint(result, "chat close")["messages"] == 0);
    CHECK_FALSE(endpoint(result, "health").contains("messages"));
    CHECK(endpoint(result, "health")["requests"].get<std::uint64_t>() == target.served());
}

TEST_CASE("WebSocket steps over TLS: a wss:// host verified against the scenario's CA", "[websocket]") {
    test_certificates certs;
    demo_target target({"--tls-port", "0", "--tls-cert", certs.server_cert(), "--tls-key", certs.server_key()});
    const auto url = "wss://127.0.0.1:" + std::to_string(target.https_ports().at(0));
    auto r = run_scenario_with_result(url, "tls: {ca_file: " + certs.ca() + "}\n" + chat_scenario,
                                      {"-u", "2", "-r", "100", "-t", "1s"});
    INFO(r.run.out << r.run.err);
    CHECK(r.run.code == 0);
    CHECK(target.stats()["websocket"]["connections"] == 2);
    CHECK(endpoint(r.result, "chat connect")["tls_handshake"]["count"] == 2);
    CHECK(messages(r.result, "chat reply") > 0);
}

TEST_CASE("WebSocket failures are counted with their reasons: upgrade refused, not open, closed by the server", "[websocket]") {
    demo_target target;
    // A message past the chat's 1 MiB limit: the target closes the WebSocket with 1009.
    const std::string huge(2 << 20, 'x');
    auto r = run_scenario_with_result(target.url(), R"(
user_classes:
  - name: Wrong
    fixed_count: 1
    tasks:
      - name: wrong path
        steps:
          - {name: bad connect, ws: connect, path: /ws/nowhere}
          - {name: orphan send, ws: send, body: hello}
  - name: Huge
    fixed_count: 1
    on_start:
      - {name: huge connect, ws: connect, path: /ws/chat}
    tasks:
      - name: too big
        steps:
          - {name: huge send, ws: send, body: )" + huge + R"(}
          - {name: huge reply, ws: receive, timeout: 5s}
)", {"-u", "2", "-r", "100", "-t", "1s"});
    INFO(r.run.out << r.run.err);
    CHECK(r.run.code == 1);
    std::map<std::string, std::string> reasons;  // every row's message, per endpoint
    for (const auto& e : r.result["errors"]) reasons[e["name"].get<std::string>()] += e["message"].get<std::string>() + "\n";
    CHECK(reasons["bad connect"] == "WebSocket upgrade refused: HTTP 404\n");
    CHECK(reasons["orphan send"] == "no open WebSocket to this host (a 'ws: connect' step opens one)\n");
    CHECK(reasons["huge reply"].find("receive: the server closed the WebSocket with code 1009") != std::string::npos);
}

TEST_CASE("the AgentOS example: REST and WebSocket chat under one SLA, every threshold passing", "[websocket]") {
    demo_target target({"--latency", "all=lognormal:15ms:0.4", "--ws-delay", "20ms", "--ws-stream-interval", "5ms",
                        "--threads", "2"});
    temp_dir dir;
    auto run = run_stampede({"run", "-f", EXAMPLES_DIR "/agentos.yaml", "--profile", "quick", "-t", "4s", "-H",
                             target.url(), "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    CHECK(run.code == 0);  // the SLA held
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["thresholds"].size() == 6);
    CHECK(result["thresholds_passed"] == true);
    const auto chat = target.stats()["websocket"];
    CHECK(messages(result, "chat send") + messages(result, "ask") == chat["received"].get<std::uint64_t>());
    CHECK(messages(result, "streamed answer") == 20 * endpoint(result, "streamed answer")["requests"].get<std::uint64_t>());
    CHECK(endpoint(result, "chat close")["requests"].get<std::uint64_t>() == chat["connections"].get<std::uint64_t>());
    CHECK(endpoint(result, "read state")["requests"].get<std::uint64_t>() > 0);
}
