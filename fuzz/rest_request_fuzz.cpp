// The master's REST API requests: raw bytes in arbitrary splits through the HTTP server's
// parser with its limits (headers 16 KiB, body 64 KiB), then the request's query and a start
// request read from its body, JSON or form, and the guard's verdict on its Host, Origin,
// Sec-Fetch-Site and control token. Every request is read or refused with a reason that names
// what was wrong; nothing throws out of the reading; no change is admitted without the token.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "fuzz/fuzz_bytes.hpp"
#include "live/request_guard.hpp"
#include "live/start_request_reader.hpp"

namespace http = boost::beast::http;
using namespace stampede;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    std::vector<std::size_t> splits(in.byte() % 16);
    for (auto& s : splits) s = in.byte();
    const auto wire = in.rest();

    const live::http_server_limits limits;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    std::string pending;
    std::size_t at = 0, split = 0;
    boost::beast::error_code ec;
    while (!parser.is_done()) {
        if (!pending.empty()) {
            const auto used = parser.put(boost::asio::buffer(pending), ec);
            pending.erase(0, used);
            if (ec == http::error::need_more) ec = {};
            else if (ec) return 0;  // answered 400, 413 or 431
            if (parser.is_done()) break;
            if (used > 0) continue;
        }
        if (at == wire.size()) {
            if (parser.got_some()) parser.put_eof(ec);
            if (ec || !parser.is_done()) return 0;
            break;
        }
        const std::size_t n = split < splits.size() ? std::max<std::size_t>(1, splits[split++]) : wire.size() - at;
        pending.append(wire.substr(at, n));
        at += std::min(n, wire.size() - at);
    }

    auto& req = parser.get();
    if (req.body().size() > limits.max_body_bytes) std::abort();
    live::http_request request;
    request.method = std::string(req.method_string());
    const std::string_view target = req.target();
    const auto q = target.find('?');
    request.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) request.query = live::parse_query(target.substr(q + 1));
    request.body = req.body();
    if (auto it = req.find(http::field::content_type); it != req.end()) request.content_type = std::string(it->value());

    const auto header = [&](std::string_view name) {
        const auto it = req.find(name);
        return it == req.end() ? std::string() : std::string(it->value());
    };
    const live::guard_settings guard{{"allowed.example"}, "0123456789abcdef0123456789abcdef"};
    const live::request_origin origin{request.method, req.version() < 11, header("Host"), header("Origin"),
                                        header("Sec-Fetch-Site"), header(live::control_token_header)};
    const auto verdict = live::judge_request(origin, guard);
    if (verdict.status != 0 && verdict.reason.empty()) std::abort();
    if (verdict.status == 0 && request.method != "GET" && request.method != "HEAD" &&
        origin.control_token != guard.control_token)
        std::abort();  // a change admitted without the token

    const auto start = live::read_start_request(request);
    if (!start.ok() && start.error().empty()) std::abort();
    return 0;
}
