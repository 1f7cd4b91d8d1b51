#include "demo_target/demo_routes.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace stampede::demo;
using nlohmann::json;

TEST_CASE("the demo target keeps agent state and counts what it served", "[demo]") {
    demo_service s({});
    auto post = s.handle({"POST", "/v1/opscore/agent/a1/state", R"({"status":"busy"})", ""});
    CHECK(post.status == 200);
    auto get = json::parse(s.handle({"GET", "/v1/opscore/agent/a1/state", "", ""}).body);
    CHECK(get["state"]["status"] == "busy");
    CHECK(get["version"] == 1);
    CHECK(s.handle({"POST", "/v1/opscore/agent/a1/workflow", "{}", ""}).status == 202);
    CHECK(s.handle({"GET", "/nowhere", "", ""}).status == 404);
    CHECK(s.served() == 4);
    auto stats = json::parse(s.handle({"GET", "/__stats", "", ""}).body);
    CHECK(stats["served"] == 4);  // /__stats itself is not counted
    CHECK(stats["routes"]["state"] == 2);
}

TEST_CASE("modular.solve answers with a verified execution trace", "[demo]") {
    demo_service s({});
    auto r = json::parse(s.handle({"POST", "/api/v1/jsonrpc",
                                   R"({"jsonrpc":"2.0","id":7,"method":"modular.solve","params":{"query":"x"}})", ""})
                             .body);
    CHECK(r["id"] == 7);
    CHECK(r["result"]["answer"] == "solved: x");
    CHECK(r["result"]["execution_trace"]["verification_passed"] == true);
    auto bad = json::parse(s.handle({"POST", "/api/v1/jsonrpc", R"({"id":1,"method":"nope"})", ""}).body);
    CHECK(bad["error"]["code"] == -32601);
    auto garbage = json::parse(s.handle({"POST", "/api/v1/jsonrpc", "{{", ""}).body);
    CHECK(garbage["error"]["code"] == -32700);
}

TEST_CASE("training jobs: start, status, export, cancel", "[demo]") {
    demo_service s({});
    auto started = json::parse(s.handle({"POST", "/api/v1/training/jobs", "{}", ""}).body);
    const std::string id = started["job_id"];
    CHECK(json::parse(s.handle({"GET", "/api/v1/training/jobs/" + id, "", ""}).body)["status"] == "running");
    CHECK(s.handle({"POST", "/api/v1/training/jobs/" + id + "/export", "", ""}).status == 200);
    CHECK(json::parse(s.handle({"POST", "/api/v1/training/jobs/" + id + "/cancel", "", ""}).body)["status"] ==
          "cancelled");
    CHECK(s.handle({"GET", "/api/v1/training/jobs/job-999", "", ""}).status == 404);
}

TEST_CASE("API key, injected errors and latency are applied", "[demo]") {
    demo_config config;
    config.api_key = "k";
    config.error_rate[static_cast<std::size_t>(route::ok)] = 1.0;
    config.latency[static_cast<std::size_t>(route::health)] = *parse_latency("15ms");
    demo_service s(config);
    CHECK(s.handle({"GET", "/ok", "", ""}).status == 401);
    CHECK(s.handle({"GET", "/ok", "", "k"}).status == 500);
    CHECK(s.handle({"GET", "/health", "", "k"}).delay == std::chrono::milliseconds(15));
    CHECK(s.served() == 3);
    CHECK(parse_latency("lognormal:20ms:0.7")->sigma == 0.7);
    CHECK(parse_latency("lognormal:20ms:9").error() == "lognormal sigma must be between 0 and 5");
    CHECK(parse_latency("soon").error().starts_with("invalid duration 'soon'"));
}

TEST_CASE("the event bus: publish, query the oldest unacknowledged, acknowledge each once", "[demo]") {
    demo_service s({});
    auto post = [&](const char* path, const char* body) { return s.handle({"POST", path, body, ""}); };
    const auto first = post("/api/v1/events", R"({"topic": "builds", "payload": {"n": 1}})");
    CHECK(first.status == 201);
    CHECK(json::parse(first.body)["event_id"] == "ev-1");
    post("/api/v1/events", R"({"topic": "builds", "payload": {"n": 2}})");
    post("/api/v1/events", R"({"topic": "other"})");
    CHECK(post("/api/v1/events", R"({"payload": 1})").status == 400);
    CHECK(post("/api/v1/events", "not json").status == 400);

    auto listed = json::parse(s.handle({"GET", "/api/v1/events?topic=builds&limit=1", "", ""}).body);
    CHECK(listed["pending"] == 2);
    REQUIRE(listed["events"].size() == 1);
    CHECK(listed["events"][0]["event_id"] == "ev-1");
    CHECK(listed["events"][0]["payload"]["n"] == 1);
    CHECK(s.handle({"GET", "/api/v1/events?topic=builds&limit=1000", "", ""}).status == 400);
    CHECK(s.handle({"GET", "/api/v1/events", "", ""}).status == 400);

    CHECK(post("/api/v1/events/ev-1/ack", "").status == 200);
    CHECK(post("/api/v1/events/ev-1/ack", "").status == 409);
    CHECK(post("/api/v1/events/ev-99/ack", "").status == 404);
    CHECK(post("/api/v1/events/nonsense/ack", "").status == 404);
    listed = json::parse(s.handle({"GET", "/api/v1/events?topic=builds", "", ""}).body);
    CHECK(listed["pending"] == 1);
    CHECK(listed["events"][0]["event_id"] == "ev-2");

    const auto stats = json::parse(s.handle({"GET", "/__stats", "", ""}).body);
    CHECK(stats["events"]["published"] == 3);
    CHECK(stats["events"]["acknowledged"] == 1);
    CHECK(stats["events"]["pending"] == 2);
    CHECK(stats["events"]["repeated_acks"] == 1);
    CHECK(stats["events"]["unknown_acks"] == 2);
    CHECK(stats["routes"]["events"] == 13);  // 5 publishes, 4 queries, 4 acknowledgements
}

TEST_CASE("the orchestrator's chat answers each message, numbered", "[demo]") {
    demo_service s({});
    auto reply = json::parse(s.handle({"POST", "/api/v1/orchestrator/chat", R"({"message": "plan a build"})", ""}).body);
    CHECK(reply["turn"] == 1);
    CHECK(reply["reply"] == "routed: plan a build");
    CHECK(s.handle({"POST", "/api/v1/orchestrator/chat", R"({"text": 1})", ""}).status == 400);
    CHECK(s.handle({"GET", "/api/v1/orchestrator/chat", "", ""}).status == 405);
}

TEST_CASE("the WebSocket chat's answers: an echo, a streamed reply bounded, a room's broadcast or join", "[demo]") {
    ws_chat chat(std::chrono::milliseconds(5), std::chrono::milliseconds(1));
    auto echo = chat.answer("hello");
    CHECK(echo.what == ws_reply::kind::echo);
    CHECK(echo.messages == std::vector<std::string>{"hello"});
    CHECK(echo.delay == std::chrono::milliseconds(5));
    auto stream = chat.answer(R"({"stream": 3, "text": "t"})");
    CHECK(stream.what == ws_reply::kind::stream);
    REQUIRE(stream.messages.size() == 3);
    CHECK(json::parse(stream.messages[2])["done"] == true);
    CHECK(json::parse(stream.messages[0])["done"] == false);
    CHECK(chat.answer(R"({"stream": 99999999})").messages.size() == ws_chat::max_stream);
    CHECK(chat.answer(R"({"stream": -1})").what == ws_reply::kind::echo);  // not a count: echoed
    auto join = chat.answer(R"({"room": "ops"})");
    CHECK(join.what == ws_reply::kind::join);
    CHECK(join.room == "ops");
    auto broadcast = chat.answer(R"({"room": "ops", "broadcast": {"x": 1}})");
    CHECK(broadcast.what == ws_reply::kind::broadcast);
    CHECK(json::parse(broadcast.messages[0])["text"]["x"] == 1);
    CHECK(json::parse(chat.stats_json())["received"] == 6);
}

TEST_CASE("the event bus refuses a publish past its bound of unacknowledged events, and counts it", "[demo]") {
    event_bus bus;
    for (std::size_t i = 0; i < event_bus::max_pending; ++i) REQUIRE(bus.publish(R"({"topic": "t"})").status == 201);
    const auto refused = bus.publish(R"({"topic": "t"})");
    CHECK(refused.status == 429);
    CHECK(json::parse(bus.stats_json())["refused"] == 1);
    CHECK(bus.acknowledge("ev-1").status == 200);  // room again once one is acknowledged
    CHECK(bus.publish(R"({"topic": "t"})").status == 201);
}
