#include "demo_target/demo_server.hpp"

#include "common/text_file.hpp"
#include "demo_target/ws_session.hpp"

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <algorithm>
#include <thread>
#include <vector>

namespace stampede::demo {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
using namespace std::chrono_literals;

namespace {

std::string_view api_key_of(const http::request<http::string_body>& req) {
    if (auto it = req.find("X-API-Key"); it != req.end()) return it->value();
    if (auto it = req.find(http::field::authorization); it != req.end()) {
        auto value = it->value();
        if (value.starts_with("Bearer ")) return value.substr(7);
    }
    return {};
}

// A streamed answer (Server-Sent Events): its head, then each piece as a chunk after its wait,
// counted once written; the last chunk unless the stream is cut. Whether the connection goes on.
template <class Stream>
asio::awaitable<bool> write_stream(Stream& stream, demo_service& service, const demo_response& answer, unsigned version,
                                   bool keep_alive, asio::steady_timer& delay) {
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    auto& socket = beast::get_lowest_layer(stream);
    http::response<http::empty_body> res{static_cast<http::status>(answer.status), version};
    res.set(http::field::server, "stampede-demo-target");
    res.set(http::field::content_type, answer.content_type);
    res.set(http::field::cache_control, "no-cache");
    res.chunked(true);
    res.keep_alive(keep_alive && !answer.cut);
    http::response_serializer<http::empty_body> head{res};
    socket.expires_after(60s);
    co_await http::async_write_header(stream, head, token);
    for (const auto& piece : answer.pieces) {
        if (ec) co_return false;
        if (piece.after.count() > 0) {
            delay.expires_after(piece.after);
            co_await delay.async_wait(token);
        }
        socket.expires_after(60s);
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(piece.bytes)), token);
        if (!ec) service.streamed(piece);
    }
    if (ec || answer.cut) co_return false;  // cut: the connection closes mid-answer
    co_await asio::async_write(stream, http::make_chunk_last(), token);
    co_return !ec && res.keep_alive();
}

// A connection's requests: read one, answer it (after its configured delay), repeat while the
// client keeps the connection alive and the policy allows. The stream is plain or TLS. An
// upgrade to the WebSocket chat ends the requests: it is handed back, to be served on the stream.
template <class Stream>
asio::awaitable<std::optional<ws_request>> serve_requests(Stream& stream, demo_service& service,
                                                          connection_policy policy, std::size_t listener) {
    beast::flat_buffer buffer;
    asio::steady_timer delay(stream.get_executor());
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    auto& socket = beast::get_lowest_layer(stream);
    for (int served = 1;; ++served) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(1024 * 1024);
        socket.expires_after(policy.idle_timeout);
        // The head first: Beast 1.74 notes a Content-Length past the limit as the head ends, and a
        // read of the whole message loses that note when body bytes came in the same read.
        co_await http::async_read_header(stream, buffer, parser, token);
        if (!ec) co_await http::async_read(stream, buffer, parser, token);
        if (ec) break;
        const auto& req = parser.get();
        if (beast::websocket::is_upgrade(req) && req.target().starts_with("/ws/chat")) co_return parser.release();
        const auto answer = service.handle({req.method_string(), req.target(), req.body(), api_key_of(req), listener});
        struct finish {  // however this request ends, it is no longer in flight
            demo_service& s;
            const demo_response& answered;
            ~finish() { s.finished(answered); }
        } in_flight{service, answer};
        if (answer.delay.count() > 0) {
            delay.expires_after(answer.delay);
            co_await delay.async_wait(token);
        }
        const bool keep_alive = req.keep_alive() && (policy.max_requests == 0 || served < policy.max_requests);
        if (!answer.pieces.empty()) {
            if (!co_await write_stream(stream, service, answer, req.version(), keep_alive, delay)) break;
            continue;
        }
        http::response<http::string_body> res;
        res.result(static_cast<unsigned>(answer.status));
        res.version(req.version());
        res.set(http::field::server, "stampede-demo-target");
        res.set(http::field::content_type, answer.content_type);
        res.keep_alive(keep_alive);
        res.body() = answer.body;
        res.prepare_payload();
        socket.expires_after(60s);
        co_await http::async_write(stream, res, token);
        if (ec || !res.keep_alive()) break;
    }
    co_return std::nullopt;
}

asio::awaitable<void> serve_plain(tcp::socket socket, demo_service& service, ws_rooms& rooms, connection_policy policy,
                                  std::size_t listener) {
    beast::tcp_stream stream(std::move(socket));
    if (auto upgrade = co_await serve_requests(stream, service, policy, listener)) {
        co_await serve_websocket(std::move(stream), std::move(*upgrade), service.chat(), rooms);
        co_return;
    }
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

// The handshake first (a client refused, or one that never finishes it, counted as a failed
// handshake), then the requests, then a close_notify, waited for no longer than a second.
asio::awaitable<void> serve_tls(tcp::socket socket, ssl::context& context, demo_service& service, ws_rooms& rooms,
                                connection_policy policy, std::size_t listener) {
    tls_stream stream(std::move(socket), context);
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    beast::get_lowest_layer(stream).expires_after(10s);
    co_await stream.async_handshake(ssl::stream_base::server, token);
    if (ec) {
        service.tls_handshake_failed();
        co_return;
    }
    service.tls_handshake_done(SSL_session_reused(stream.native_handle()) == 1);
    if (auto upgrade = co_await serve_requests(stream, service, policy, listener)) {
        co_await serve_websocket(std::move(stream), std::move(*upgrade), service.chat(), rooms);
        co_return;
    }
    beast::get_lowest_layer(stream).expires_after(1s);
    co_await stream.async_shutdown(token);
}

// The server's TLS context from its files (read whole, at most 1 MiB each, regular files
// only), or why they cannot be used, naming the flag.
common::result<std::unique_ptr<ssl::context>> make_server_context(const tls_files& files) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    auto use = [&](const char* flag, const std::string& file, auto apply) -> common::status {
        if (file.empty()) return {};
        auto pem = common::read_text_file(file, std::size_t{1} << 20);
        if (!pem) return common::fail(std::string(flag) + " '" + file + "': " + pem.error());
        beast::error_code ec;
        apply(asio::buffer(*pem), ec);
        if (ec) return common::fail(std::string(flag) + " '" + file + "': " + ec.message());
        return {};
    };
    for (auto done : {use("--tls-cert", files.certificate, [&](auto b, auto& ec) { ctx->use_certificate_chain(b, ec); }),
                      use("--tls-key", files.key, [&](auto b, auto& ec) { ctx->use_private_key(b, ssl::context::pem, ec); }),
                      use("--tls-client-ca", files.client_ca,
                          [&](auto b, auto& ec) { ctx->add_certificate_authority(b, ec); })})
        if (!done) return done.why();
    if (!files.client_ca.empty()) ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    return ctx;
}

}  // namespace

struct demo_server::impl {
    impl(demo_service& s, int thread_count, connection_policy p, std::optional<tls_files> t)
        : service(s), policy(p), tls(std::move(t)) {
        for (int i = 0; i < std::max(1, thread_count); ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    }

    asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, std::size_t listener, bool tls) {
        std::size_t next = listener;
        for (;;) {
            auto& target = *contexts[next++ % contexts.size()];
            beast::error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(target, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted) co_return;
            if (ec) continue;  // e.g. too many open files: keep serving the others
            socket.set_option(tcp::no_delay(true), ec);
            if (tls)
                asio::co_spawn(target, serve_tls(std::move(socket), *tls_context, service, rooms, policy, listener),
                               asio::detached);
            else
                asio::co_spawn(target, serve_plain(std::move(socket), service, rooms, policy, listener), asio::detached);
        }
    }

    common::result<std::uint16_t> listen(const asio::ip::address& ip, std::uint16_t port) {
        auto& io = *contexts.front();
        auto acceptor = std::make_unique<tcp::acceptor>(io);
        const tcp::endpoint endpoint(ip, port);
        beast::error_code ec;
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor->bind(endpoint, ec);
        if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
        if (ec) return common::fail("cannot listen on " + ip.to_string() + ":" + std::to_string(port) + ": " + ec.message());
        const auto bound = acceptor->local_endpoint().port();
        acceptors.push_back(std::move(acceptor));
        return bound;
    }

    demo_service& service;
    ws_rooms rooms;  // the WebSocket chat's rooms, across every listener and thread
    connection_policy policy;
    std::optional<tls_files> tls;
    std::unique_ptr<ssl::context> tls_context;  // shared by every connection once serving
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::vector<std::thread> threads;
};

demo_server::demo_server(demo_service& service, int threads, connection_policy policy, std::optional<tls_files> tls)
    : impl_(std::make_unique<impl>(service, threads, policy, std::move(tls))) {}

demo_server::~demo_server() {
    for (auto& io : impl_->contexts) io->stop();
    for (auto& t : impl_->threads) t.join();
}

common::result<std::vector<std::uint16_t>> demo_server::start(const std::string& address,
                                                             const std::vector<listen_port>& ports) {
    beast::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) return common::fail("--host: '" + address + "' is not an IP address");
    const bool any_tls = std::any_of(ports.begin(), ports.end(), [](const listen_port& p) { return p.tls; });
    if (any_tls && !impl_->tls) return common::fail("a TLS port needs --tls-cert and --tls-key");
    if (any_tls) {
        auto context = make_server_context(*impl_->tls);
        if (!context) return context.why();
        impl_->tls_context = std::move(*context);
    }
    std::vector<std::uint16_t> bound;
    for (const auto& port : ports) {
        auto listening = impl_->listen(ip, port.port);
        if (!listening) return listening.why();
        bound.push_back(*listening);
    }
    impl_->service.set_listeners(bound);
    for (std::size_t i = 0; i < impl_->acceptors.size(); ++i)
        asio::co_spawn(*impl_->contexts.front(), impl_->accept_loop(*impl_->acceptors[i], i, ports[i].tls), asio::detached);
    for (auto& ctx : impl_->contexts) {
        impl_->guards.push_back(asio::make_work_guard(*ctx));
        impl_->threads.emplace_back([c = ctx.get()] { c->run(); });
    }
    return bound;
}

void demo_server::wait_for_signal() {
    asio::io_context io;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([](auto, int) {});
    io.run();
}

}  // namespace stampede::demo
