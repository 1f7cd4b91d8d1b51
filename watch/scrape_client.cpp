#include "watch/scrape_client.hpp"

#include <openssl/ssl.h>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace stampede::watch {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// What one scrape came to: the body, or why there is none.
struct outcome {
    std::string body;
    std::string why;
    bool done = false;
};

// The request written, the answer read within the body's bound, judged by its status.
template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const scrape_request& r, outcome& out) {
    http::request<http::empty_body> request{http::verb::get, r.target, 11};
    request.set(http::field::host, r.host_header);
    request.set(http::field::user_agent, "stampede/" STAMPEDE_VERSION);
    request.set(http::field::accept, "text/plain;version=0.0.4");
    for (const auto& [name, value] : r.headers) request.set(name, value);
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    co_await http::async_write(stream, request, token);
    if (ec) {
        out.why = "sending the request: " + ec.message();
        co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(r.max_bytes);
    parser.header_limit(64 * 1024);
    // The head first: Beast 1.74 notes a Content-Length past the limit as the head ends, and a
    // read of the whole message loses that note when body bytes came in the same read.
    co_await http::async_read_header(stream, buffer, parser, token);
    if (!ec) co_await http::async_read(stream, buffer, parser, token);
    if (ec == http::error::body_limit) out.why = "the answer is larger than " + std::to_string(r.max_bytes) + " bytes";
    else if (ec) out.why = "reading the answer: " + ec.message();
    else if (const auto status = parser.get().result_int(); status < 200 || status > 299) out.why = "HTTP " + std::to_string(status);
    else out.body = std::move(parser.get().body());
}

asio::awaitable<void> connect_and_ask(asio::io_context& io, const scrape_request& r, outcome& out) {
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    tcp::resolver resolver(io);
    const auto addresses = co_await resolver.async_resolve(r.host, r.port, token);
    if (ec) {
        out.why = "resolving " + r.host + ": " + ec.message();
        co_return;
    }
    if (!r.tls) {
        beast::tcp_stream stream(io);
        co_await stream.async_connect(addresses, token);
        if (ec) out.why = "connect: " + ec.message();
        else co_await exchange(stream, r, out);
        co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(io, *r.tls);
    const auto& name = r.server_name.empty() ? r.host : r.server_name;
    SSL_set_tlsext_host_name(stream.native_handle(), name.c_str());
    stream.set_verify_callback(asio::ssl::host_name_verification(name));
    co_await beast::get_lowest_layer(stream).async_connect(addresses, token);
    if (ec) {
        out.why = "connect: " + ec.message();
        co_return;
    }
    co_await stream.async_handshake(asio::ssl::stream_base::client, token);
    if (ec) {
        const auto verified = SSL_get_verify_result(stream.native_handle());
        out.why = "TLS handshake: " + (verified != X509_V_OK ? std::string(X509_verify_cert_error_string(verified)) : ec.message());
        co_return;
    }
    co_await exchange(stream, r, out);
}

}  // namespace

common::result<std::string> scrape(const scrape_request& request) {
    outcome out;  // outlives the io_context, whose coroutine frames are destroyed with it
    asio::io_context io(1);
    asio::co_spawn(io, connect_and_ask(io, request, out), [&out](std::exception_ptr failed) {
        if (failed && out.why.empty()) out.why = "the scrape failed unexpectedly";
        out.done = true;
    });
    io.run_for(request.timeout);
    if (!out.done) return common::fail("no answer within " + common::format_duration(request.timeout));
    if (!out.why.empty()) return common::fail(std::move(out.why));
    return std::move(out.body);
}

}  // namespace stampede::watch
