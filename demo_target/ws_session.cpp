#include "demo_target/ws_session.hpp"

#include <deque>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace stampede::demo {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

// What is waiting to be written to one client; touched only on that client's thread.
struct ws_outbox {
    static constexpr std::size_t limit = 10'000;  // a client that reads no more is dropped past it

    explicit ws_outbox(asio::any_io_executor executor) : wake(executor) { wake.expires_at(asio::steady_timer::time_point::max()); }

    void push(std::string message) {
        if (queue.size() >= limit) {
            overflowed = true;
        } else {
            queue.push_back(std::move(message));
        }
        wake.cancel();
    }

    std::deque<std::string> queue;
    asio::steady_timer wake;  // the writer sleeps on it while the queue is empty
    bool closed = false, overflowed = false;
};

void ws_rooms::join(const std::string& room, const std::shared_ptr<ws_outbox>& member) {
    std::lock_guard lock(mutex_);
    auto& members = rooms_[room];
    std::erase_if(members, [](const std::weak_ptr<ws_outbox>& m) { return m.expired(); });
    for (const auto& m : members)
        if (m.lock() == member) return;
    members.push_back(member);
}

std::size_t ws_rooms::broadcast(const std::string& room, const std::string& message) {
    std::vector<std::shared_ptr<ws_outbox>> members;
    {
        std::lock_guard lock(mutex_);
        for (const auto& m : rooms_[room])
            if (auto member = m.lock()) members.push_back(std::move(member));
    }
    for (const auto& member : members)
        asio::post(member->wake.get_executor(), [member, message] {
            if (!member->closed) member->push(message);
        });
    return members.size();
}

namespace {

using error_code = boost::system::error_code;

// Writes what the outbox holds, one message at a time, until the reader closes it.
template <class WebSocket>
asio::awaitable<void> write_outbox(std::shared_ptr<WebSocket> ws, std::shared_ptr<ws_outbox> box, ws_chat& chat) {
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    while (!box->closed && !box->overflowed) {
        if (box->queue.empty()) {
            box->wake.expires_at(asio::steady_timer::time_point::max());
            co_await box->wake.async_wait(token);
            continue;
        }
        const auto message = std::move(box->queue.front());
        box->queue.pop_front();
        co_await ws->async_write(asio::buffer(message), token);
        if (ec) break;
        chat.sent();
    }
    if (box->overflowed) {
        beast::get_lowest_layer(*ws).close();
        chat.refused();
    }
}

template <class WebSocket>
asio::awaitable<void> pause(WebSocket& ws, std::chrono::microseconds length) {
    if (length.count() <= 0) co_return;
    asio::steady_timer timer(ws.get_executor(), length);
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// Carries out what the chat answered a message with.
template <class WebSocket>
asio::awaitable<void> carry_out(ws_reply reply, WebSocket& ws, const std::shared_ptr<ws_outbox>& box, ws_rooms& rooms) {
    if (reply.what == ws_reply::kind::join || reply.what == ws_reply::kind::broadcast) rooms.join(reply.room, box);
    if (reply.what == ws_reply::kind::broadcast) {
        rooms.broadcast(reply.room, reply.messages.front());
        co_return;
    }
    co_await pause(ws, reply.delay);
    for (std::size_t i = 0; i < reply.messages.size(); ++i) {
        if (i > 0) co_await pause(ws, reply.interval);
        box->push(std::move(reply.messages[i]));
    }
}

template <class Stream>
asio::awaitable<void> serve(Stream stream, ws_request request, ws_chat& chat, ws_rooms& rooms) {
    using socket_type = websocket::stream<Stream>;
    auto ws = std::make_shared<socket_type>(std::move(stream));
    beast::get_lowest_layer(*ws).expires_never();  // the WebSocket's own timeouts from here
    ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws->read_message_max(1 << 20);
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    co_await ws->async_accept(request, token);
    if (ec) {
        chat.refused();
        co_return;
    }
    chat.opened();
    auto box = std::make_shared<ws_outbox>(ws->get_executor());
    asio::co_spawn(ws->get_executor(), write_outbox(ws, box, chat), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
        co_await ws->async_read(buffer, token);
        if (ec) break;
        const auto text = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        co_await carry_out(chat.answer(text), *ws, box, rooms);
    }
    box->closed = true;
    box->wake.cancel();
    chat.closed();
}

}  // namespace

asio::awaitable<void> serve_websocket(beast::tcp_stream stream, ws_request request, ws_chat& chat, ws_rooms& rooms) {
    return serve(std::move(stream), std::move(request), chat, rooms);
}

asio::awaitable<void> serve_websocket(beast::ssl_stream<beast::tcp_stream> stream, ws_request request, ws_chat& chat,
                                      ws_rooms& rooms) {
    return serve(std::move(stream), std::move(request), chat, rooms);
}

}  // namespace stampede::demo
