// The worker's HTTP response reader fed arbitrary bytes in arbitrary splits, as the network
// may deliver them, with the limits a step sets (body 64 KiB, Beast's 8 KiB of headers). The
// input is: a byte saying how many splits, a byte per split saying its length, then what the
// server sent. Responses are read one after another while the connection stays open, as a
// worker does; each ends complete, or with an error, or wanting more when the bytes run out,
// and the body kept is never more than the limit.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

#include "fuzz/fuzz_bytes.hpp"
#include "worker/response_reader.hpp"

namespace http = boost::beast::http;
using stampede::worker::response_reader;

namespace {

constexpr std::size_t body_limit = 64 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    stampede::fuzz::fuzz_bytes in(data, size);
    std::vector<std::size_t> splits(in.byte() % 16);
    for (auto& s : splits) s = in.byte();
    const bool head = in.byte() & 1;  // the request was a HEAD: no body follows
    const auto wire = in.rest();

    std::string body;
    response_reader::header_list headers;
    std::optional<response_reader> reader;
    auto start = [&] {
        reader.emplace(&body, &headers);
        reader->body_limit(body_limit);
        reader->eager(true);
        if (head) reader->skip(true);
    };
    start();

    boost::beast::flat_buffer pending;
    std::size_t at = 0, split = 0;
    boost::beast::error_code ec;
    for (int responses = 0; responses < 64;) {
        const bool ended = reader->feed(pending, ec);
        if (ended) {
            if (body.size() > body_limit || reader->body_bytes() > body_limit) std::abort();
            if (ec || !reader->keep_alive()) return 0;
            if (!reader->is_done()) std::abort();
            ++responses;
            start();
            continue;
        }
        if (at == wire.size()) break;
        const std::size_t n = split < splits.size() ? std::max<std::size_t>(1, splits[split++]) : wire.size() - at;
        const auto piece = wire.substr(at, n);
        pending.commit(boost::asio::buffer_copy(pending.prepare(piece.size()), boost::asio::buffer(piece)));
        at += piece.size();
    }
    // The server closed the connection.
    if (reader->got_some()) {
        ec = {};
        reader->put_eof(ec);
    }
    if (body.size() > body_limit) std::abort();
    return 0;
}
