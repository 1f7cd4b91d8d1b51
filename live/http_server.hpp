#pragma once
// The master's HTTP server (Beast, on the io_context it is given: the run loop's), for the web
// UI, its REST API and /metrics. Routes answer whole replies; a stream route keeps its
// connection open for Server-Sent Events that `broadcast` writes to every listener. Every
// input is bounded: the connections at once, a request's headers and body, the time to send
// one, and what a slow listener may leave unread.
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/result.hpp"
#include "live/request_guard.hpp"

namespace stampede::live {

struct http_request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // without the query
    std::map<std::string, std::string> query;
    std::string body;
    std::string content_type;
};

struct http_reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::map<std::string, std::string> headers;
};

// `a=1&b=two%20words`, percent-decoded ('+' a space), as a map; the last of a repeated key.
std::map<std::string, std::string> parse_query(std::string_view text);

// A reply whose body is {"error": why}.
http_reply json_error(int status, const std::string& why);

struct http_server_limits {
    std::size_t max_connections = 64;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::seconds request_timeout{10};  // to send a whole request, and idle between them
    std::size_t max_stream_backlog = 256 * 1024;  // unread event bytes before a listener is dropped
};

class http_server {
public:
    using handler = std::function<http_reply(const http_request&)>;

    http_server(boost::asio::io_context& io, http_server_limits limits = {});
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    // Listens on HOST:PORT (port 0: any free one); the port it got, or why not.
    common::result<int> listen(const std::string& host, int port);
    // `user:password` required of every request (HTTP Basic), when not empty.
    void require_auth(const std::string& user_password);
    // The names it answers to and the token a state-changing request carries (request_guard).
    void guard(guard_settings settings) { guard_ = std::move(settings); }
    void route(const std::string& method, const std::string& path, handler h);
    // A GET route whose connection stays open for events; `hello` is sent to each new listener.
    void stream_route(const std::string& path, std::function<std::string()> hello);
    // Writes one event to every listener of the stream routes.
    void broadcast(std::string_view event, std::string_view data);
    std::size_t listeners() const;
    void close();  // stops accepting and ends every connection

private:
    struct listener;
    void accept();
    void serve(boost::asio::ip::tcp::socket socket);
    boost::asio::awaitable<void> connection(boost::asio::ip::tcp::socket socket);  // one client, request by request
    static std::string event_text(std::string_view event, std::string_view data);
    bool enqueue(const std::shared_ptr<listener>& l, const std::string& text);
    static void pump(std::shared_ptr<listener> l, std::shared_ptr<bool> alive);
    http_reply dispatch(const http_request& request, bool& stream) const;
    http_reply answer(const http_request& request, const request_origin& origin, std::string_view authorization,
                      bool& stream_route) const;
    bool authorized(std::string_view authorization) const;

    boost::asio::io_context& io_;
    http_server_limits limits_;
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
    std::string auth_;  // the expected Basic credentials, base64; empty: none needed
    guard_settings guard_;
    std::map<std::pair<std::string, std::string>, handler> routes_;  // by method and path
    std::map<std::string, std::function<std::string()>> streams_;
    std::list<std::shared_ptr<listener>> listeners_;
    std::size_t connections_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace stampede::live
