// The demo target's streamed chat completions over a real connection: Server-Sent Events in
// HTTP/1.1 chunks, the first token after its set time, the last chunk ending a whole stream and
// none ending a cut one; what it wrote counted in /__stats.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;

namespace {

std::string post_completion(int port, const std::string& body) {
    return http_raw(port, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

}  // namespace

TEST_CASE("the demo target streams a chat completion as chunked events, counted as it wrote them", "[demo]") {
    demo_target target({"--ttft", "150ms", "--token-delay", "10ms", "--output-tokens", "5"});
    const auto started = std::chrono::steady_clock::now();
    const auto answer = post_completion(target.port(), R"({"stream":true,"messages":[{"role":"user","content":"hi"}]})");
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(answer.find("Content-Type: text/event-stream") != std::string::npos);
    CHECK(answer.find("Transfer-Encoding: chunked") != std::string::npos);
    CHECK(answer.find("tok4 ") != std::string::npos);
    CHECK(answer.find("data: [DONE]") != std::string::npos);
    CHECK(answer.ends_with("0\r\n\r\n"));
    CHECK(took >= 190ms);  // 150 ms to the first token, 4 × 10 ms after
    const auto counted = target.stats()["completions"];
    CHECK(counted["streams"] == 1);
    CHECK(counted["tokens"] == 5);
    CHECK(counted["events"] == 7);  // 5 tokens, the finish, [DONE]
}

TEST_CASE("a stream the demo target cuts ends with the connection, mid-answer", "[demo]") {
    demo_target target({"--ttft", "1ms", "--token-delay", "1ms", "--output-tokens", "8", "--cut-rate", "1"});
    const auto answer = post_completion(target.port(), R"({"stream":true,"messages":[]})");
    CHECK(answer.find("tok3 ") != std::string::npos);
    CHECK(answer.find("tok4 ") == std::string::npos);
    CHECK(answer.find("[DONE]") == std::string::npos);
    CHECK_FALSE(answer.ends_with("0\r\n\r\n"));
    CHECK(target.stats()["completions"]["cut"] == 1);
}
