// Server-Sent Events read as the WHATWG standard reads them, from any split of the bytes: the
// fields, multi-line data, ids that carry over, retry, comments, every line ending, a byte-order
// mark; and what a load test refuses: a line that is not UTF-8, an event past its bound.
#include "worker/sse_parser.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace stampede::worker;

namespace {

struct seen {
    std::string type, data, id;
    std::optional<std::uint32_t> retry;
    bool operator==(const seen&) const = default;
};

// Every event of `text` fed in pieces of `piece` bytes (0: all at once).
std::vector<seen> events_of(const std::string& text, std::size_t piece = 0, sse_limits limits = {}) {
    sse_parser parser(limits);
    std::vector<seen> out;
    const auto each = [&](const sse_event& e) {
        out.push_back({std::string(e.type), std::string(e.data), std::string(e.id), e.retry_ms});
    };
    for (std::size_t at = 0; at < text.size(); at += piece ? piece : text.size()) {
        auto ok = parser.feed(std::string_view(text).substr(at, piece ? piece : text.size()), each);
        REQUIRE(ok.ok());
    }
    return out;
}

std::string refusal(const std::string& text, sse_limits limits = {}) {
    sse_parser parser(limits);
    const auto ok = parser.feed(text, [](const sse_event&) {});
    REQUIRE_FALSE(ok.ok());
    return ok.error();
}

}  // namespace

TEST_CASE("an event stream's fields read as a browser reads them", "[sse]") {
    const std::string stream =
        ": a comment, ignored\n"
        "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
        "event: progress\nid: 7\ndata: first\ndata:second\ndata\n\n"
        "retry: 2500\ndata: x\n\n"
        "event: ignored\n\n"          // no data: nothing dispatched, the type forgotten
        "data: [DONE]\n\n"
        "data: unfinished";
    const auto all = events_of(stream);
    REQUIRE(all.size() == 4);
    CHECK(all[0] == seen{"message", "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}", "", std::nullopt});
    CHECK(all[1] == seen{"progress", "first\nsecond\n", "7", std::nullopt});
    CHECK(all[2] == seen{"message", "x", "7", 2500});  // the id carries over
    CHECK(all[3] == seen{"message", "[DONE]", "7", std::nullopt});
}

TEST_CASE("any split of the stream gives the same events, whatever its line endings", "[sse]") {
    const std::string lf = "\xEF\xBB\xBF" "data: a\n\nevent: e\ndata: b\n\n";
    const std::string crlf = "\xEF\xBB\xBF" "data: a\r\n\r\nevent: e\r\ndata: b\r\n\r\n";
    const std::string cr = "\xEF\xBB\xBF" "data: a\r\revent: e\rdata: b\r\r";
    const auto expected = events_of(lf);
    REQUIRE(expected.size() == 2);
    CHECK(expected[0].data == "a");  // the byte-order mark left out
    for (const auto* text : {&lf, &crlf, &cr})
        for (std::size_t piece = 1; piece <= text->size(); ++piece) {
            INFO("piece " << piece);
            CHECK(events_of(*text, piece) == expected);
        }
}

TEST_CASE("what a load test refuses: a line that is not UTF-8, a line or an event past its bound", "[sse]") {
    CHECK(refusal("data: \xC3\x28\n\n") == "a line that is not UTF-8 (byte 7)");
    sse_limits small;
    small.max_event_bytes = 32;
    CHECK(refusal(std::string(40, 'x'), small) == "a line or an event past 32 bytes");
    CHECK(refusal("data: 0123456789\ndata: 0123456789\ndata: 0123456789\n", small) == "a line or an event past 32 bytes");
    // A bound is per event: many small events are fine.
    std::string many;
    for (int i = 0; i < 100; ++i) many += "data: 0123456789\n\n";
    CHECK(events_of(many, 7, small).size() == 100);
}

TEST_CASE("a stream that ends within an event says so", "[sse]") {
    sse_parser parser;
    const auto none = [](const sse_event&) {};
    REQUIRE(parser.feed("data: a\n\n", none).ok());
    CHECK_FALSE(parser.pending());
    REQUIRE(parser.feed("data: b\n", none).ok());
    CHECK(parser.pending());
    REQUIRE(parser.feed("\n", none).ok());
    CHECK_FALSE(parser.pending());
    REQUIRE(parser.feed("data: c", none).ok());
    CHECK(parser.pending());
    CHECK(parser.events() == 2);
}
