// A Server-Sent Events stream, on any bytes cut into any pieces: the first byte says how long
// the pieces are, the rest is the stream, read with a small bound so the fuzzer meets it.
// Whatever the bytes: no crash, a refusal always says what, no event past the bound, and the
// pieces give exactly the events (and the refusal) the whole stream gives at once.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz/fuzz_bytes.hpp"
#include "worker/sse_parser.hpp"

using namespace stampede;

namespace {

struct reading {
    std::vector<std::string> events;  // type, data, id and retry, joined
    bool ok = true;
    bool pending = false;
};

reading read_in_pieces(std::string_view text, std::size_t piece, const worker::sse_limits& limits) {
    worker::sse_parser parser(limits);
    reading out;
    const auto each = [&](const worker::sse_event& e) {
        if (e.data.size() > limits.max_event_bytes || e.type.empty()) std::abort();
        out.events.push_back(std::string(e.type) + '\x1f' + std::string(e.data) + '\x1f' + std::string(e.id) + '\x1f' +
                             (e.retry_ms ? std::to_string(*e.retry_ms) : "-"));
    };
    for (std::size_t at = 0; at < text.size() && out.ok; at += piece) {
        const auto fed = parser.feed(text.substr(at, piece), each);
        if (!fed && fed.error().empty()) std::abort();
        out.ok = fed.ok();
    }
    out.pending = out.ok && parser.pending();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    const std::size_t piece = 1 + in.byte() % 16;
    const auto text = in.rest();
    worker::sse_limits limits;
    limits.max_event_bytes = 256;
    const auto whole = read_in_pieces(text, text.empty() ? 1 : text.size(), limits);
    const auto pieces = read_in_pieces(text, piece, limits);
    if (whole.events != pieces.events || whole.ok != pieces.ok || whole.pending != pieces.pending) std::abort();
    return 0;
}
