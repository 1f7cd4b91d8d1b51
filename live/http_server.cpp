#include "live/http_server.hpp"

#include <openssl/crypto.h>

#include <deque>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "common/base64.hpp"

namespace stampede::live {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding of a query's part, '+' as a space; a broken escape stays as written.
std::string decoded(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

void split_target(std::string_view target, http_request& into) {
    const auto q = target.find('?');
    into.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) into.query = parse_query(target.substr(q + 1));
}

http::response<http::string_body> to_beast(const http_reply& reply, unsigned version, bool keep_alive) {
    http::response<http::string_body> res{static_cast<http::status>(reply.status), version};
    res.set(http::field::server, "stampede");
    res.set(http::field::content_type, reply.content_type);
    res.set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : headers_for_every_reply()) res.set(k, v);
    for (const auto& [k, v] : reply.headers) res.set(k, v);
    res.keep_alive(keep_alive);
    res.body() = reply.body;
    res.prepare_payload();
    return res;
}

}  // namespace

std::map<std::string, std::string> parse_query(std::string_view rest) {
    std::map<std::string, std::string> out;
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto part = rest.substr(0, amp);
        const auto eq = part.find('=');
        if (!part.empty()) out[decoded(part.substr(0, eq))] = eq == std::string_view::npos ? "" : decoded(part.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
    }
    return out;
}

http_reply json_error(int status, const std::string& why) {
    return {status, "application/json", nlohmann::json{{"error", why}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", {}};
}

// An open event stream: what is still to be written, written one event at a time.
struct http_server::listener {
    explicit listener(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    std::deque<std::string> queue;
    std::size_t queued_bytes = 0;
    bool writing = false;
    bool closed = false;
};

http_server::http_server(asio::io_context& io, http_server_limits limits) : io_(io), limits_(limits) {}

http_server::~http_server() { close(); }

common::result<int> http_server::listen(const std::string& host, int port) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) return common::fail("'" + host + "' is not an IP address");
    auto acceptor = std::make_unique<tcp::acceptor>(io_);
    const tcp::endpoint at(address, static_cast<unsigned short>(port));
    acceptor->open(at.protocol(), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(at, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return common::fail("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    const int bound = acceptor->local_endpoint().port();
    acceptor_ = std::move(acceptor);
    accept();
    return bound;
}

void http_server::require_auth(const std::string& user_password) {
    auth_ = user_password.empty() ? "" : common::base64_encode(user_password);
}

void http_server::route(const std::string& method, const std::string& path, handler h) {
    routes_[{method, path}] = std::move(h);
}

void http_server::stream_route(const std::string& path, std::function<std::string()> hello) {
    streams_[path] = std::move(hello);
}

std::size_t http_server::listeners() const { return listeners_.size(); }

void http_server::accept() {
    acceptor_->async_accept([this, alive = alive_](beast::error_code ec, tcp::socket socket) {
        if (!*alive || !acceptor_ || !acceptor_->is_open()) return;
        if (!ec) serve(std::move(socket));
        accept();
    });
}

// The answer to one request, and whether it opens an event stream instead.
http_reply http_server::dispatch(const http_request& request, bool& stream) const {
    stream = false;
    if (request.method == "GET") {
        if (const auto it = streams_.find(request.path); it != streams_.end()) {
            if (listeners_.size() >= limits_.max_connections) return json_error(503, "too many listeners to " + request.path);
            stream = true;
            return {200, "text/event-stream", it->second(), {}};
        }
    }
    if (const auto it = routes_.find({request.method, request.path}); it != routes_.end()) {
        try {
            return it->second(request);
        } catch (const std::exception& e) {  // a handler's bug is a 500, not the master's end
            return json_error(500, std::string("internal error: ") + e.what());
        }
    }
    std::string allowed;
    for (const auto& [key, h] : routes_)
        if (key.second == request.path) allowed += (allowed.empty() ? "" : ", ") + key.first;
    if (streams_.count(request.path)) allowed += (allowed.empty() ? "" : ", ") + std::string("GET");
    if (allowed.empty()) return json_error(404, "no such route: " + request.path);
    auto reply = json_error(405, request.method + " is not allowed on " + request.path + " (allowed: " + allowed + ")");
    reply.headers["Allow"] = allowed;
    return reply;
}

void http_server::serve(tcp::socket socket) {
    if (connections_ >= limits_.max_connections) {
        // Past the limit: a short answer, then the door.
        auto res = std::make_shared<http::response<http::string_body>>(
            to_beast(json_error(503, "too many connections to the master's web server"), 11, false));
        auto s = std::make_shared<tcp::socket>(std::move(socket));
        http::async_write(*s, *res, [s, res](beast::error_code, std::size_t) { s->close(); });
        return;
    }
    ++connections_;
    asio::co_spawn(io_, connection(std::move(socket)), asio::detached);
}

namespace {

// What the parser's error means for the answer: a status, or none when the peer left.
std::optional<http_reply> read_failure(const beast::error_code& ec, const http_server_limits& limits) {
    if (ec == http::error::body_limit)
        return json_error(413, "a request body is at most " + std::to_string(limits.max_body_bytes) + " bytes");
    if (ec == http::error::header_limit)
        return json_error(431, "a request's headers are at most " + std::to_string(limits.max_header_bytes) + " bytes");
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
        return std::nullopt;
    return json_error(400, "not an HTTP request: " + ec.message());
}

// A body framed two ways, or by a coding other than chunked, is how a request is smuggled past
// a proxy that reads the framing otherwise: refused, and the connection closed after.
std::optional<http_reply> ambiguous_framing(const http::request_parser<http::string_body>& parser) {
    const auto& req = parser.get();
    const auto te = req.find(http::field::transfer_encoding);
    if (te == req.end()) return std::nullopt;
    if (req.find(http::field::content_length) != req.end())
        return json_error(400, "a request has Content-Length or Transfer-Encoding, not both");
    if (!beast::iequals(te->value(), "chunked") || req.count(http::field::transfer_encoding) > 1)
        return json_error(400, "the only Transfer-Encoding this server reads is 'chunked'");
    return std::nullopt;
}

template <class Fields>
std::string header_of(const Fields& req, std::string_view name) {
    const auto it = req.find(name);
    return it == req.end() ? std::string() : std::string(it->value());
}

// What a route reads of a request; the body moved out of Beast's.
http_request request_of(http::request<http::string_body>& req) {
    http_request request;
    request.method = std::string(req.method_string());
    split_target(req.target(), request);
    request.body = std::move(req.body());
    request.content_type = header_of(req, "Content-Type");
    return request;
}

// Who sent a request and how, for the guard.
request_origin origin_of(const http::request<http::string_body>& req, const std::string& method) {
    return {method, req.version() < 11, header_of(req, "Host"), header_of(req, "Origin"), header_of(req, "Sec-Fetch-Site"),
            header_of(req, control_token_header)};
}

// The head of a Server-Sent Events reply: the connection stays open for events.
http::response<http::empty_body> event_stream_head(unsigned version) {
    http::response<http::empty_body> res{http::status::ok, version};
    res.set(http::field::content_type, "text/event-stream");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::server, "stampede");
    for (const auto& [k, v] : headers_for_every_reply()) res.set(k, v);
    res.chunked(false);
    res.keep_alive(true);
    return res;
}

}  // namespace

// HTTP Basic: the scheme's name in any case (RFC 7235), the credentials compared in constant time.
bool http_server::authorized(std::string_view given) const {
    if (auth_.empty()) return true;
    const auto space = given.find(' ');
    if (space == std::string_view::npos || !beast::iequals(given.substr(0, space), "basic")) return false;
    auto credentials = given.substr(space + 1);
    while (credentials.starts_with(' ')) credentials.remove_prefix(1);
    return credentials.size() == auth_.size() && CRYPTO_memcmp(credentials.data(), auth_.data(), auth_.size()) == 0;
}

// The reply to a request that was read whole: refused by the password or the guard, else its route's.
http_reply http_server::answer(const http_request& request, const request_origin& origin, std::string_view authorization,
                               bool& stream_route) const {
    const auto verdict = judge_request(origin, guard_);
    if (!authorized(authorization)) {
        auto reply = json_error(401, "this master's web server needs its user and password (--web-auth)");
        reply.headers["WWW-Authenticate"] = "Basic realm=\"stampede\"";
        return reply;
    }
    if (verdict.status != 0) return json_error(verdict.status, verdict.reason);
    return dispatch(request, stream_route);
}

asio::awaitable<void> http_server::connection(tcp::socket socket) {
        const auto alive = alive_;
        struct count {
            http_server* server;
            std::shared_ptr<bool> alive;
            ~count() { if (*alive) --server->connections_; }
        } counted{this, alive};
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        beast::error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        const auto refuse = [&](const http_reply& reply) -> asio::awaitable<void> {  // answers, then closes
            auto res = to_beast(reply, 11, false);
            stream.expires_after(limits_.request_timeout);
            co_await http::async_write(stream, res, token);
        };
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
            parser.body_limit(limits_.max_body_bytes);
            stream.expires_after(limits_.request_timeout);
            co_await http::async_read_header(stream, buffer, parser, token);
            if (!*alive) co_return;
            std::optional<http_reply> failed;
            if (ec) failed = read_failure(ec, limits_);
            else if ((failed = ambiguous_framing(parser))) {}
            else if (!parser.is_done()) {
                co_await http::async_read(stream, buffer, parser, token);
                if (!*alive) co_return;
                if (ec) failed = read_failure(ec, limits_);
            }
            if (ec && !failed) co_return;  // the peer left
            if (failed) {
                co_await refuse(*failed);
                co_return;
            }
            auto& req = parser.get();
            const auto request = request_of(req);
            bool stream_route = false;
            const auto reply = answer(request, origin_of(req, request.method), header_of(req, "Authorization"), stream_route);
            if (stream_route) {
                // The connection becomes a listener: headers now, events as they come.
                auto res = event_stream_head(req.version());
                http::response_serializer<http::empty_body> head(res);
                stream.expires_never();
                co_await http::async_write_header(stream, head, token);
                if (ec || !*alive) co_return;
                auto l = std::make_shared<listener>(stream.release_socket());
                listeners_.push_back(l);
                if (!reply.body.empty()) enqueue(l, event_text("hello", reply.body));
                co_return;
            }
            const bool keep = req.keep_alive();
            auto res = to_beast(reply, req.version(), keep);
            stream.expires_after(limits_.request_timeout);
            co_await http::async_write(stream, res, token);
            if (ec || !keep || !*alive) co_return;
        }
}

std::string http_server::event_text(std::string_view event, std::string_view data) {
    std::string text;
    if (!event.empty()) text += "event: " + std::string(event) + "\n";
    std::size_t from = 0;
    for (;;) {  // each line of the data its own "data:" field
        const auto nl = data.find('\n', from);
        text += "data: ";
        text += data.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
        text += "\n";
        if (nl == std::string_view::npos) break;
        from = nl + 1;
    }
    return text + "\n";
}

void http_server::broadcast(std::string_view event, std::string_view data) {
    const auto text = event_text(event, data);
    for (auto it = listeners_.begin(); it != listeners_.end();) {
        if (enqueue(*it, text)) ++it;
        else it = listeners_.erase(it);
    }
}

// Queues an event for one listener and starts writing if it was idle; false when the
// listener is gone, or let go for leaving too much unread.
bool http_server::enqueue(const std::shared_ptr<listener>& l, const std::string& text) {
    if (l->closed || l->queued_bytes + text.size() > limits_.max_stream_backlog) {
        beast::error_code ignored;
        l->socket.close(ignored);
        l->closed = true;
        return false;
    }
    l->queue.push_back(text);
    l->queued_bytes += text.size();
    if (!l->writing) pump(l, alive_);
    return true;
}

// Writes a listener's queue, one event after the other, until it is empty.
void http_server::pump(std::shared_ptr<listener> l, std::shared_ptr<bool> alive) {
    if (!*alive || l->closed || l->queue.empty()) {
        l->writing = false;
        return;
    }
    l->writing = true;
    auto* front = &l->queue.front();
    asio::async_write(l->socket, asio::buffer(*front), [l, alive](beast::error_code ec, std::size_t) {
        if (!*alive) return;
        l->queued_bytes -= l->queue.front().size();
        l->queue.pop_front();
        if (ec) {
            l->closed = true;
            l->writing = false;
            return;
        }
        pump(l, alive);
    });
}

void http_server::close() {
    if (!*alive_) return;
    *alive_ = false;
    beast::error_code ignored;
    if (acceptor_) acceptor_->close(ignored);
    for (auto& l : listeners_) l->socket.close(ignored);
    listeners_.clear();
}

}  // namespace stampede::live
