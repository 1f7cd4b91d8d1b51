// The connection opener against real loopback sockets: what it records and counts when a
// connect succeeds, is refused, times out or is cut off, and when a TLS handshake meets a server
// that does not speak TLS. The owner's watch is a fake, set by each test.
#include "worker/connection_opener.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include "scenario/scenario.hpp"

using namespace stampede;
using namespace stampede::worker;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct fake_watch final : open_watch {
    bool cut = false;
    bool late = false;
    bool cancelled(const boost::system::error_code&) const override { return cut; }
    bool timed_out(const boost::system::error_code&) const override { return late; }
};

struct bench {
    io_thread thread{1, 0};
    lang::step_spec spec;
    prepared_step step;
    resolved_host to;
    fake_watch watch;

    bench() {
        spec.endpoint_id = 0;
        step.spec = &spec;
        step.timeout = 2s;
    }
    void aim_at(unsigned short port) {
        to.addresses = tcp::resolver(thread.io).resolve("127.0.0.1", std::to_string(port));
    }
    // Runs one opening to its end; what it gave back.
    template <class Tcp, class Tls>
    std::optional<exchange_outcome> open(connection_layers<Tcp, Tls> layers) {
        std::optional<exchange_outcome> outcome = exchange_outcome::ok;  // overwritten when it ends
        bool ended = false;
        asio::co_spawn(thread.io, [&]() -> asio::awaitable<void> {
            outcome = co_await open_connection(thread, step, to, layers, watch);
            ended = true;
        }, asio::detached);
        thread.work.reset();
        thread.io.run_for(5s);
        REQUIRE(ended);
        return outcome;
    }
    const stats::error_record* error(stats::error_kind kind) const {
        for (const auto& [key, record] : thread.shard.errors)
            if (key.kind == kind) return &record;
        return nullptr;
    }
};

// A port on loopback where nothing listens.
unsigned short closed_port(asio::io_context& io) {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    return acceptor.local_endpoint().port();
}

}  // namespace

TEST_CASE("a connection that opens records its connect phase and counts nothing", "[opener]") {
    bench b;
    tcp::acceptor acceptor(b.thread.io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    b.aim_at(acceptor.local_endpoint().port());
    tcp::socket socket(b.thread.io);
    no_tls none;
    CHECK_FALSE(b.open(connection_layers<tcp::socket, no_tls>{socket, none, nullptr}).has_value());
    CHECK(socket.is_open());
    tcp::no_delay nagle_off;
    socket.get_option(nagle_off);
    CHECK(nagle_off.value());
    CHECK(b.thread.shard.endpoints[0].connect.count() == 1);
    CHECK(b.thread.shard.endpoints[0].tls_handshake.count() == 0);
    CHECK(b.thread.shard.errors.empty());
}

TEST_CASE("a refused connect is a connect failure with the system's reason", "[opener]") {
    bench b;
    b.aim_at(closed_port(b.thread.io));
    tcp::socket socket(b.thread.io);
    no_tls none;
    CHECK(b.open(connection_layers<tcp::socket, no_tls>{socket, none, nullptr}) == exchange_outcome::failed);
    const auto* refused = b.error(stats::error_kind::connect);
    REQUIRE(refused);
    CHECK(refused->count == 1);
    CHECK(refused->message.rfind("connect: ", 0) == 0);
    CHECK(b.thread.shard.endpoints[0].connect.count() == 0);
}

TEST_CASE("a connect past its deadline is a timeout named for its phase, and a cut-off user's is cancelled, uncounted",
          "[opener]") {
    bench b;
    b.aim_at(closed_port(b.thread.io));
    tcp::socket socket(b.thread.io);
    no_tls none;
    SECTION("timed out") {
        b.watch.late = true;
        CHECK(b.open(connection_layers<tcp::socket, no_tls>{socket, none, nullptr}) == exchange_outcome::failed);
        const auto* late = b.error(stats::error_kind::timeout);
        REQUIRE(late);
        CHECK(late->message == "connect timed out after 2s");
        CHECK_FALSE(b.error(stats::error_kind::connect));
    }
    SECTION("cut off") {
        b.watch.cut = true;
        CHECK(b.open(connection_layers<tcp::socket, no_tls>{socket, none, nullptr}) == exchange_outcome::cancelled);
        CHECK(b.thread.shard.errors.empty());
    }
}

TEST_CASE("a TLS handshake with a server that does not speak TLS is a TLS failure with OpenSSL's reason", "[opener]") {
    bench b;
    tcp::acceptor acceptor(b.thread.io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    b.aim_at(acceptor.local_endpoint().port());
    auto client = make_tls_client(lang::tls_settings{}, "127.0.0.1");
    REQUIRE(client.ok());
    b.to.tls = *client;
    // The server answers the ClientHello with plain HTTP, then closes.
    tcp::socket served(b.thread.io);
    acceptor.async_accept(served, [&](const boost::system::error_code& ec) {
        if (ec) return;
        static const std::string answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        asio::async_write(served, asio::buffer(answer), [](const boost::system::error_code&, std::size_t) {});
    });
    asio::ssl::stream<tcp::socket> stream(b.thread.io, b.to.tls->context());
    tls_session_slot session;
    session.session.reset(SSL_SESSION_new());  // a session the user's last connection was given
    CHECK(b.open(connection_layers<tcp::socket, asio::ssl::stream<tcp::socket>>{stream.next_layer(), stream, &session}) ==
          exchange_outcome::failed);
    const auto* refused = b.error(stats::error_kind::tls);
    REQUIRE(refused);
    CHECK(refused->message.rfind("TLS handshake: ", 0) == 0);
    CHECK(refused->message.size() > std::string("TLS handshake: ").size());
    CHECK(b.thread.shard.endpoints[0].connect.count() == 1);
    CHECK(b.thread.shard.endpoints[0].tls_handshake.count() == 0);
    CHECK_FALSE(session.session);  // not offered again
}
