#include "demo_target/demo_server.hpp"

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <vector>

namespace stampede::demo {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
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

// One connection: read a request, answer it (after its configured delay), repeat while the
// client keeps the connection alive and the policy allows.
asio::awaitable<void> serve_connection(tcp::socket socket, demo_service& service, connection_policy policy) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    asio::steady_timer delay(stream.get_executor());
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    for (int served = 1;; ++served) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(1024 * 1024);
        stream.expires_after(policy.idle_timeout);
        co_await http::async_read(stream, buffer, parser, token);
        if (ec) break;
        const auto& req = parser.get();
        const auto answer = service.handle({req.method_string(), req.target(), req.body(), api_key_of(req)});
        struct finish {  // however this request ends, it is no longer in flight
            demo_service& s;
            ~finish() { s.finished(); }
        } in_flight{service};
        if (answer.delay.count() > 0) {
            delay.expires_after(answer.delay);
            co_await delay.async_wait(token);
        }
        http::response<http::string_body> res;
        res.result(static_cast<unsigned>(answer.status));
        res.version(req.version());
        res.set(http::field::server, "stampede-demo-target");
        res.set(http::field::content_type, answer.content_type);
        res.keep_alive(req.keep_alive() && (policy.max_requests == 0 || served < policy.max_requests));
        res.body() = answer.body;
        res.prepare_payload();
        stream.expires_after(60s);
        co_await http::async_write(stream, res, token);
        if (ec || !res.keep_alive()) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

struct demo_server::impl {
    impl(demo_service& s, int thread_count, connection_policy p) : service(s), policy(p) {
        for (int i = 0; i < std::max(1, thread_count); ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    }

    asio::awaitable<void> accept_loop() {
        std::size_t next = 0;
        for (;;) {
            auto& target = *contexts[next++ % contexts.size()];
            beast::error_code ec;
            tcp::socket socket = co_await acceptor->async_accept(target, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted) co_return;
            if (ec) continue;  // e.g. too many open files: keep serving the others
            socket.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(target, serve_connection(std::move(socket), service, policy), asio::detached);
        }
    }

    demo_service& service;
    connection_policy policy;
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::vector<std::thread> threads;
};

demo_server::demo_server(demo_service& service, int threads, connection_policy policy)
    : impl_(std::make_unique<impl>(service, threads, policy)) {}

demo_server::~demo_server() {
    for (auto& io : impl_->contexts) io->stop();
    for (auto& t : impl_->threads) t.join();
}

common::result<std::uint16_t> demo_server::start(const std::string& address, std::uint16_t port) {
    beast::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) return common::fail("--host: '" + address + "' is not an IP address");
    auto& io = *impl_->contexts.front();
    impl_->acceptor = std::make_unique<tcp::acceptor>(io);
    const tcp::endpoint endpoint(ip, port);
    impl_->acceptor->open(endpoint.protocol(), ec);
    if (!ec) impl_->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl_->acceptor->bind(endpoint, ec);
    if (!ec) impl_->acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return common::fail("cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
    asio::co_spawn(io, impl_->accept_loop(), asio::detached);
    for (auto& ctx : impl_->contexts) {
        impl_->guards.push_back(asio::make_work_guard(*ctx));
        impl_->threads.emplace_back([c = ctx.get()] { c->run(); });
    }
    return std::uint16_t(impl_->acceptor->local_endpoint().port());
}

void demo_server::wait_for_signal() {
    asio::io_context io;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([](auto, int) {});
    io.run();
}

}  // namespace stampede::demo
