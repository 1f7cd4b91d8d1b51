#pragma once
// A WebSocket client of the demo target's chat (`/ws/chat`): its messages read and answered
// as ws_chat says, written one at a time from a bounded outbox, which broadcasts from other
// clients (on other threads) reach through the client's own thread. Only demo_server.cpp
// includes this header: it brings Beast.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "demo_target/ws_chat.hpp"

namespace stampede::demo {

struct ws_outbox;

// The members of each room, as the outboxes of their clients.
class ws_rooms {
public:
    void join(const std::string& room, const std::shared_ptr<ws_outbox>& member);
    // Every member of `room` that is still connected gets `message`; how many did.
    std::size_t broadcast(const std::string& room, const std::string& message);

private:
    std::mutex mutex_;
    std::map<std::string, std::vector<std::weak_ptr<ws_outbox>>> rooms_;
};

using ws_request = boost::beast::http::request<boost::beast::http::string_body>;

// Accepts the upgrade `request` on `stream` and serves the client until it closes.
boost::asio::awaitable<void> serve_websocket(boost::beast::tcp_stream stream, ws_request request, ws_chat& chat,
                                             ws_rooms& rooms);
boost::asio::awaitable<void> serve_websocket(boost::beast::ssl_stream<boost::beast::tcp_stream> stream,
                                             ws_request request, ws_chat& chat, ws_rooms& rooms);

}  // namespace stampede::demo
