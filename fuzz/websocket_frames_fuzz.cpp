// The worker's WebSocket path from the server's side: after an upgrade answered properly, any
// bytes as frames, delivered in reads of any size, into a client stream built as a worker's is
// (Beast's WebSocket over head_split_stream, messages at most 64 KiB), read message by message
// until the connection fails or ends. The input is: a byte for the read size, a byte choosing
// the upgrade response's extras, then the frames. No read returns more than the limit, and
// every ending is an error code; nothing crashes, nothing waits for ever.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "fuzz/fuzz_bytes.hpp"
#include "worker/head_split_stream.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr std::size_t max_message = 64 * 1024;

// The upgrade's answer to the request the client wrote: 101 with the accept for its key.
std::string upgrade_answer(std::string_view request, std::uint8_t extras) {
    const auto at = request.find("Sec-WebSocket-Key: ");
    if (at == std::string_view::npos) std::abort();
    const auto key = request.substr(at + 19, request.find("\r\n", at) - at - 19);
    websocket::detail::sec_ws_accept_type accept;
    websocket::detail::make_sec_ws_accept(accept, key);
    std::string out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    out += "Sec-WebSocket-Accept: " + std::string(accept.data(), accept.size()) + "\r\n";
    if (extras & 1) out += "Sec-WebSocket-Protocol: chat\r\n";
    if (extras & 2) out += "Sec-WebSocket-Extensions: permessage-deflate\r\n";
    return out + "\r\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    stampede::fuzz::fuzz_bytes in(data, size);
    const std::size_t read_size = 1 + in.byte();
    const auto extras = in.byte();
    const auto frames = in.rest();

    asio::io_context io;
    beast::test::stream server(io);
    websocket::stream<stampede::worker::head_split_stream<beast::test::stream>> ws(io);
    ws.next_layer().next_layer().connect(server);
    ws.next_layer().next_layer().read_size(read_size);
    ws.read_message_max(max_message);

    beast::error_code handshake_ec;
    bool shaken = false;
    websocket::response_type response;
    ws.next_layer().arm();
    ws.async_handshake(response, "target", "/ws", [&](beast::error_code ec) {
        handshake_ec = ec;
        shaken = true;
    });
    io.poll();  // the request is written; the client waits for the answer
    const std::string request(server.str());
    server.clear();
    server.write_some(asio::buffer(upgrade_answer(request, extras) + std::string(frames)));
    server.close();  // after the frames, the end of the connection
    io.restart();
    io.run_for(std::chrono::seconds(5));
    if (!shaken) std::abort();  // the handshake hung
    if (handshake_ec) return 0;

    beast::flat_buffer buffer;
    for (int messages = 0; messages < 1000; ++messages) {
        beast::error_code ec;
        bool done = false;
        std::size_t got = 0;
        ws.async_read(buffer, [&](beast::error_code e, std::size_t n) {
            ec = e;
            got = n;
            done = true;
        });
        io.restart();
        io.run_for(std::chrono::seconds(5));
        if (!done) std::abort();  // a read hung on a closed connection
        if (ec) return 0;
        if (got > max_message || buffer.size() > max_message) std::abort();
        buffer.consume(buffer.size());
    }
    return 0;
}
