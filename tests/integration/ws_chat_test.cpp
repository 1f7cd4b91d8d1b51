// The demo target's WebSocket chat, driven by a Beast client: echo, a streamed reply, a room's
// broadcast, over plain TCP and TLS, with the target's counts equal to what the client did.
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"

using namespace stampede::testing;
using nlohmann::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// A blocking client of /ws/chat on 127.0.0.1, plain or TLS.
template <class Stream>
class chat_client {
public:
    template <class... Args>
    chat_client(int port, Args&&... args) : ws_(io_, std::forward<Args>(args)...) {
        tcp::resolver resolver(io_);
        asio::connect(beast::get_lowest_layer(ws_), resolver.resolve("127.0.0.1", std::to_string(port)));
        if constexpr (!std::is_same_v<Stream, tcp::socket>) ws_.next_layer().handshake(asio::ssl::stream_base::client);
        ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws/chat");
    }
    void send(const std::string& text) { ws_.write(asio::buffer(text)); }
    std::string receive() {
        beast::flat_buffer buffer;
        ws_.read(buffer);
        return beast::buffers_to_string(buffer.data());
    }
    void close() { ws_.close(websocket::close_code::normal); }

private:
    asio::io_context io_;
    websocket::stream<Stream> ws_;
};

json chat_stats(demo_target& target) { return target.stats()["websocket"]; }

}  // namespace

TEST_CASE("the WebSocket chat echoes every message, and counts what it received and sent", "[ws]") {
    demo_target target({"--ws-delay", "1ms"});
    chat_client<tcp::socket> client(target.port());
    for (int i = 0; i < 100; ++i) {
        const auto text = "message " + std::to_string(i);
        client.send(text);
        CHECK(client.receive() == text);
    }
    client.close();
    const auto stats = chat_stats(target);
    CHECK(stats["connections"] == 1);
    CHECK(stats["received"] == 100);
    CHECK(stats["sent"] == 100);
    CHECK(target.stats()["served"] == 0);  // the upgrade is no HTTP request served
}

TEST_CASE("the WebSocket chat streams a reply of N messages, the last one done", "[ws]") {
    demo_target target({"--ws-stream-interval", "1ms"});
    chat_client<tcp::socket> client(target.port());
    client.send(R"({"stream": 50, "text": "thinking"})");
    for (int i = 1; i <= 50; ++i) {
        const auto message = json::parse(client.receive());
        CHECK(message["index"] == i);
        CHECK(message["text"] == "thinking");
        CHECK(message["done"] == (i == 50));
    }
    client.close();
    CHECK(chat_stats(target)["sent"] == 50);
    CHECK(chat_stats(target)["received"] == 1);
}

TEST_CASE("a room's broadcast reaches every member, the sender too", "[ws]") {
    demo_target target({"--threads", "2"});
    chat_client<tcp::socket> a(target.port()), b(target.port());
    a.send(R"({"room": "ops"})");
    b.send(R"({"room": "ops"})");
    // Joins are carried out in order on each connection: a second message after the join.
    b.send(R"({"room": "ops", "broadcast": "deploying"})");
    for (auto* client : {&a, &b}) {
        const auto message = json::parse(client->receive());
        CHECK(message["room"] == "ops");
        CHECK(message["text"] == "deploying");
    }
    CHECK(chat_stats(target)["sent"] == 2);
}

TEST_CASE("the WebSocket chat over TLS (wss)", "[ws]") {
    test_certificates certs;
    demo_target target({"--tls-port", "0", "--tls-cert", certs.server_cert(), "--tls-key", certs.server_key()});
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.load_verify_file(certs.ca());
    tls.set_verify_mode(asio::ssl::verify_peer);
    chat_client<beast::ssl_stream<tcp::socket>> client(target.https_ports().at(0), tls);
    client.send("over TLS");
    CHECK(client.receive() == "over TLS");
    client.close();
    CHECK(chat_stats(target)["received"] == 1);
}

TEST_CASE("a message past the chat's 1 MiB limit closes that connection, not the target", "[ws]") {
    demo_target target;
    {
        chat_client<tcp::socket> client(target.port());
        client.send(std::string(2 << 20, 'x'));
        CHECK_THROWS(client.receive());
    }
    chat_client<tcp::socket> next(target.port());
    next.send("still here");
    CHECK(next.receive() == "still here");
}
