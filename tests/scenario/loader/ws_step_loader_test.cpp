// WebSocket steps in a scenario: what each action takes, and what is refused where it is written.
#include <catch2/catch.hpp>

#include "scenario/loader/scenario_loader.hpp"

using namespace stampede::lang;

namespace {

std::string problems_of(const std::string& steps) {
    return load_scenario_text("host: ws://127.0.0.1:1\nuser_classes:\n  - tasks:\n      - name: t\n        steps:\n" + steps,
                              "s.yaml")
        .format();
}

}  // namespace

TEST_CASE("WebSocket steps read with their defaults, and a streamed reply has a first-message endpoint", "[ws]") {
    auto r = load_scenario_text(R"(host: wss://chat.test
user_classes:
  - tasks:
      - name: chat
        steps:
          - {ws: connect, path: "/ws/{{ random_int(1, 3) }}", subprotocol: chat.v1, headers: {X-Key: k}}
          - {ws: send, json: {text: hi}}
          - {ws: receive, timeout: 2s, checks: [{json: text, exists: true}]}
          - {ws: receive_until, until: {json: done, equals: true}, max_messages: 50}
          - {ws: close}
)",
                                "s.yaml");
    INFO(r.format());
    REQUIRE(r.ok());
    const auto& sc = *r.value;
    const auto& steps = sc.user_classes[0].tasks[0].steps;
    REQUIRE(steps.size() == 5);
    CHECK(steps[0].ws->what == ws_step::action::connect);
    CHECK(steps[0].name == "connect /ws/{{ random_int(1, 3) }}");
    CHECK(steps[0].ws->subprotocol == "chat.v1");
    CHECK(steps[0].request.method == "WS");
    CHECK(steps[1].name == "send");
    CHECK(steps[2].request.timeout == std::chrono::seconds(2));
    CHECK(steps[3].ws->max_messages == 50);
    CHECK(steps[3].ws->until.has_value());
    CHECK(sc.endpoints[steps[3].ws->first_endpoint_id].name == "receive until (first message)");
    CHECK(steps[4].ws->what == ws_step::action::close);
    CHECK(sc.hosts[0].url->tls());
}

TEST_CASE("WebSocket steps that do not read are refused where they are written", "[ws]") {
    CHECK(problems_of("          - {ws: dance}\n") ==
          "s.yaml:6:18: ws must be connect, send, receive, receive_until, ping or close, not 'dance'\n");
    CHECK(problems_of("          - {ws: connect}\n") == "s.yaml:6:13: a 'ws: connect' step has no 'path'\n");
    CHECK(problems_of("          - {ws: send}\n") == "s.yaml:6:13: a 'ws: send' step needs the message: 'json', 'body', 'json_file' or 'body_file'\n");
    CHECK(problems_of("          - {ws: receive_until}\n") ==
          "s.yaml:6:13: a 'ws: receive_until' step needs 'until': the check its last message meets\n");
    CHECK(problems_of("          - {ws: send, body: x, path: /x}\n") == "s.yaml:6:39: 'path' belongs to a 'ws: connect' step\n");
    CHECK(problems_of("          - {ws: receive, method: POST}\n") ==
          "s.yaml:6:35: 'method' has no meaning on a WebSocket step\n");
    CHECK(problems_of("          - {ws: send, body: x, checks: [{status: 200}]}\n") ==
          "s.yaml:6:41: 'checks' belongs to a step that receives (ws: receive or receive_until)\n");
    CHECK(problems_of("          - {path: /x, until: {json: done}}\n") ==
          "s.yaml:6:31: 'until' belongs to a WebSocket step (ws: ...)\n");
    CHECK(problems_of("          - {ws: receive_until, until: {json: done}, max_messages: 0}\n") ==
          "s.yaml:6:68: max_messages must be between 1 and 1000000, got 0\n");
}
