// The demo target's chat completions as it plans them: a stream's pieces (the first token after
// the time to first token, each next after the per-token delay, the finish, the usage when asked,
// [DONE]), read back with Stampede's own event-stream parser; a whole answer; a stream cut
// mid-answer; a request it refuses; and what it counts as sent.
#include "demo_target/chat_completions.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "worker/sse_parser.hpp"

using namespace stampede;
using namespace stampede::demo;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

completion_config fixed(int tokens) {
    completion_config c;
    c.ttft = 200ms;
    c.token_delay = 5ms;
    c.output_tokens = tokens;
    return c;
}

// Every event's data in the stream's pieces, in order.
std::vector<std::string> events_of(const demo_stream& s) {
    worker::sse_parser parser;
    std::vector<std::string> out;
    for (const auto& p : s.pieces)
        REQUIRE(parser.feed(p.bytes, [&](const worker::sse_event& e) { out.emplace_back(e.data); }).ok());
    CHECK_FALSE(parser.pending());
    return out;
}

}  // namespace

TEST_CASE("a streamed completion is a token an event, timed as set, then the finish, the usage and [DONE]", "[demo]") {
    chat_completions completions(fixed(4), 1);
    const auto s = completions.answer(
        R"({"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"two words"}]})");
    REQUIRE(s.status == 200);
    REQUIRE(s.pieces.size() == 5);
    CHECK(s.pieces[0].after == 200ms);
    for (int t = 1; t < 4; ++t) CHECK(s.pieces[t].after == 5ms);
    const auto events = events_of(s);
    REQUIRE(events.size() == 7);
    CHECK(json::parse(events[0])["choices"][0]["delta"]["content"] == "tok0 ");
    CHECK(json::parse(events[4])["choices"][0]["finish_reason"] == "stop");
    CHECK(json::parse(events[5])["usage"] == json{{"prompt_tokens", 2}, {"completion_tokens", 4}, {"total_tokens", 6}});
    CHECK(events[6] == "[DONE]");
    for (const auto& p : s.pieces) completions.written(p);
    CHECK(completions.stats()["events"] == 7);
    CHECK(completions.stats()["tokens"] == 4);
}

TEST_CASE("a whole completion, one cut short, and one refused", "[demo]") {
    auto config = fixed(6);
    chat_completions whole(config, 1);
    const auto answer = whole.answer(R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":2})");
    CHECK(answer.pieces.empty());
    CHECK(answer.delay == 205ms);  // the first token's wait and one more
    CHECK(json::parse(answer.body)["usage"]["completion_tokens"] == 2);
    config.cut_rate = 1;
    chat_completions cutting(config, 1);
    const auto cut = cutting.answer(R"({"stream":true,"messages":[]})");
    CHECK(cut.cut);
    CHECK(cut.pieces.size() == 3);  // half the tokens, no finish, no [DONE]
    CHECK(cutting.stats()["cut"] == 1);
    CHECK(whole.answer("not json").status == 400);
    CHECK(whole.stats()["refused"] == 1);
}
