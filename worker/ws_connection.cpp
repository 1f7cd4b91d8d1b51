#include "worker/ws_connection.hpp"

#include <optional>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "common/duration.hpp"
#include "scenario/request_text.hpp"
#include "worker/connection_opener.hpp"
#include "worker/head_split_stream.hpp"
#include "worker/tls_client.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using error_code = boost::system::error_code;
using stats::error_kind;
using action = lang::ws_step::action;
using steady = std::chrono::steady_clock;

namespace {

// The largest message a step takes: as large as any response body may be.
constexpr std::uint64_t max_message = std::uint64_t{1} << 30;

template <class Socket>
class ws_connection final : public host_connection, private open_watch {
    static constexpr bool tls = !std::is_same_v<Socket, beast::tcp_stream>;

public:
    explicit ws_connection(io_thread& thread) : thread_(thread) {}

    asio::awaitable<exchange_result> perform(const prepared_step& step, const resolved_host& to,
                                             exchange_context& user) override {
        cut_ = false;
        switch (step.spec->ws->what) {
            case action::connect: co_return co_await connect(step, to, user);
            case action::send: co_return co_await send(step, user);
            case action::receive: co_return co_await receive(step, user, false);
            case action::receive_until: co_return co_await receive(step, user, true);
            case action::ping: co_return co_await ping(step);
            case action::close: co_return co_await close_step(step);
        }
        co_return exchange_result{};
    }

    void close() override {
        cut_ = true;
        if (ws_) beast::get_lowest_layer(*ws_).close();
    }

private:
    using stream_type = websocket::stream<head_split_stream<Socket>>;
    Socket& socket_layer() { return ws_->next_layer().next_layer(); }

    std::optional<exchange_outcome> failed(const prepared_step& step, const error_code& ec, std::string_view doing) {
        if (cancelled(ec)) return exchange_outcome::cancelled;
        const auto endpoint = step.spec->endpoint_id;
        if (timed_out(ec)) {
            count_failure(thread_, endpoint, error_kind::timeout, 0,
                          std::string(doing) + " timed out after " + common::format_duration(step.timeout));
        } else if (ec == websocket::error::closed || ws_->reason().code != websocket::close_code::none) {
            // A close from the server; answering it may fail after the server went (broken pipe).
            const auto& why = ws_->reason();
            count_failure(thread_, endpoint, error_kind::websocket, static_cast<int>(why.code),
                          std::string(doing) + ": the server closed the WebSocket with code " + std::to_string(why.code) +
                              (why.reason.empty() ? std::string() : " (" + std::string(why.reason.c_str()) + ")"));
        } else {
            count_failure(thread_, endpoint, error_kind::websocket, ec.value(), std::string(doing) + ": " + ec.message());
        }
        ws_.reset();  // a connection that failed is not used again: the next connect makes a new one
        return exchange_outcome::failed;
    }

    // The user has no open connection to the host: a step that needs one fails, saying so,
    // once its thread has run what else waits (a failure that waits on nothing must not let a
    // user loop without ever giving its thread back).
    asio::awaitable<exchange_result> not_open(const prepared_step& step) {
        co_await asio::post(thread_.io, asio::use_awaitable);
        count_failure(thread_, step.spec->endpoint_id, error_kind::websocket, 0,
                      "no open WebSocket to this host (a 'ws: connect' step opens one)");
        co_return exchange_result{exchange_outcome::failed};
    }

    // open_watch: a stop closes the socket; Beast's stream times each wait itself.
    bool cancelled(const error_code& ec) const override {
        return cut_ || (ec == asio::error::operation_aborted && thread_.cutting_off);
    }
    bool timed_out(const error_code& ec) const override { return ec == beast::error::timeout; }

    // A new connection's transport, opened as every protocol's is (worker/connection_opener.hpp).
    asio::awaitable<std::optional<exchange_outcome>> open_transport(const prepared_step& step, const resolved_host& to) {
        if constexpr (tls)  // connecting again replaces the connection; its session stays resumable
            if (ws_) retire_connection(socket_layer().native_handle());
        ws_.reset();
        if constexpr (tls) ws_.emplace(thread_.io, to.tls->context());
        else ws_.emplace(thread_.io);
        beast::get_lowest_layer(*ws_).expires_after(step.timeout);
        auto outcome = co_await open_connection(thread_, step, to, layers(), *this);
        if (outcome) ws_.reset();
        co_return outcome;
    }

    // What the opener opens: the TCP stream, and over it the TLS stream of a wss:// host.
    auto layers() {
        auto& tcp = beast::get_lowest_layer(*ws_);
        if constexpr (tls) return connection_layers<beast::tcp_stream, Socket>{tcp, socket_layer(), &session_};
        else return connection_layers<beast::tcp_stream, no_tls>{tcp, none_, nullptr};
    }

    asio::awaitable<exchange_result> connect(const prepared_step& step, const resolved_host& to, lang::template_context& context) {
        if (auto failed = co_await open_transport(step, to)) co_return exchange_result{*failed};
        auto& socket = beast::get_lowest_layer(*ws_);
        error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        std::string path = to.url.base_path;
        lang::render_template(step.spec->request.path, context, path);
        // A rendered value that would break its line is not sent (scenario/request_text.hpp).
        const auto unsafe = [&](int code, const std::string& why) {
            count_failure(thread_, step.spec->endpoint_id, error_kind::request, code, why + ": not sent");
            ws_.reset();
            return exchange_result{exchange_outcome::failed};
        };
        if (!lang::make_request_target(path, to.url.base_path.size()))
            co_return unsafe(lang::unsafe_path_code, "the path a template rendered holds a line break or NUL");
        if (auto bad = decorate(step, context))
            co_return unsafe(lang::unsafe_header_code, "header '" + *bad + "' as a template rendered it holds a line break or NUL");
        websocket::response_type response;
        ws_->next_layer().arm();
        co_await ws_->async_handshake(response, to.url.authority(), path, token);
        if (ec) {
            if (response.result_int() != 0 && response.result_int() != 101 && !cut_) {
                count_failure(thread_, step.spec->endpoint_id, error_kind::websocket, static_cast<int>(response.result_int()),
                              "WebSocket upgrade refused: HTTP " + std::to_string(response.result_int()));
                ws_.reset();
                co_return exchange_result{exchange_outcome::failed};
            }
            co_return exchange_result{*failed(step, ec, "WebSocket upgrade")};
        }
        const auto& asked = step.spec->ws->subprotocol;
        if (!asked.empty() && response[beast::http::field::sec_websocket_protocol] != asked) {
            count_failure(thread_, step.spec->endpoint_id, error_kind::websocket, 0,
                          "the server did not take subprotocol '" + asked + "'");
            ws_.reset();
            co_return exchange_result{exchange_outcome::failed};
        }
        socket.expires_never();  // open until a step, the server or the stop ends it
        ws_->read_message_max(std::min(step.max_body, max_message));
        co_return exchange_result{exchange_outcome::ok, 101, 0};
    }

    // The upgrade request's headers: the step's and its class's, host's and scenario's; the
    // name of one whose rendered value would break its line, which stops the upgrade.
    std::optional<std::string> decorate(const prepared_step& step, lang::template_context& context) {
        std::vector<std::pair<std::string, std::string>> headers = step.ws_headers;
        for (const auto& header : step.templated_headers) {
            const bool ready = std::all_of(header.variables.begin(), header.variables.end(),
                                           [&](std::uint32_t slot) { return context.has_variable(slot); });
            if (!ready) continue;
            std::string value;
            lang::render_template(*header.value, context, value);
            if (lang::header_value_problem(value)) return header.name;
            headers.emplace_back(header.name, std::move(value));
        }
        if (!step.spec->ws->subprotocol.empty())
            headers.emplace_back("Sec-WebSocket-Protocol", step.spec->ws->subprotocol);
        ws_->set_option(websocket::stream_base::decorator([headers = std::move(headers)](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, "stampede/" STAMPEDE_VERSION);
            for (const auto& [name, value] : headers) req.set(name, value);
        }));
        return std::nullopt;
    }

    asio::awaitable<exchange_result> send(const prepared_step& step, lang::template_context& context) {
        if (!ws_) co_return co_await not_open(step);
        std::string rendered;
        if (!step.spec->request.body.constant()) lang::render_template(step.spec->request.body, context, rendered);
        const std::string_view message = step.spec->request.body.constant() ? std::string_view(step.wire) : rendered;
        error_code ec;
        beast::get_lowest_layer(*ws_).expires_after(step.timeout);
        ws_->text(true);
        co_await ws_->async_write(asio::buffer(message.data(), message.size()), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return exchange_result{*failed(step, ec, "send")};
        if (ws_) beast::get_lowest_layer(*ws_).expires_never();
        co_return exchange_result{exchange_outcome::ok, 0, 1, message.size()};
    }

    // One message, or (until) messages until one meets the step's `until` check.
    // A step that keeps its response leaves the last message in the user's kept response.
    asio::awaitable<exchange_result> receive(const prepared_step& step, exchange_context& user, bool until) {
        if (!ws_) co_return co_await not_open(step);
        std::string unkept;
        std::string& last = step.keeps_response ? user.kept().body : unkept;
        if (step.keeps_response) user.kept().headers.clear();
        const auto began = steady::now();
        const auto& ws = *step.spec->ws;
        std::string expected;
        if (until && !ws.until->expected.text.constant()) lang::render_template(ws.until->expected.text, user, expected);
        beast::get_lowest_layer(*ws_).expires_after(step.timeout);
        error_code ec;
        std::size_t bytes = 0;
        for (std::uint32_t n = 1;; ++n) {
            buffer_.clear();
            co_await ws_->async_read(buffer_, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return exchange_result{*failed(step, ec, until ? "receive until" : "receive"), 0, n - 1, bytes};
            last = beast::buffers_to_string(buffer_.data());
            bytes += last.size();
            if (!until) break;
            if (n == 1) thread_.shard.endpoints[ws.first_endpoint_id].record(common::micros_since(began), last.size(), false);
            lang::response_view view{0, last, std::chrono::duration_cast<common::micros>(steady::now() - began), {}};
            lang::response_inspector inspector(view);
            if (inspector.check(*ws.until, ws.until->expected.text.constant() ? ws.until->expected.text.text() : expected))
                co_return finished(exchange_result{exchange_outcome::ok, 0, n, bytes});
            if (n >= ws.max_messages) {
                count_failure(thread_, step.spec->endpoint_id, error_kind::websocket, 0,
                              "no message met 'until' within max_messages (" + std::to_string(ws.max_messages) + ")");
                co_return finished(exchange_result{exchange_outcome::failed, 0, n, bytes});
            }
        }
        co_return finished(exchange_result{exchange_outcome::ok, 0, 1, bytes});
    }

    exchange_result finished(exchange_result result) {
        if (ws_) beast::get_lowest_layer(*ws_).expires_never();
        return result;
    }

    // A ping frame, timed until written; the server's pong is taken in by the next receive.
    asio::awaitable<exchange_result> ping(const prepared_step& step) {
        if (!ws_) co_return co_await not_open(step);
        error_code ec;
        beast::get_lowest_layer(*ws_).expires_after(step.timeout);
        co_await ws_->async_ping({}, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return exchange_result{*failed(step, ec, "ping")};
        co_return finished(exchange_result{exchange_outcome::ok, 0, 0});
    }

    asio::awaitable<exchange_result> close_step(const prepared_step& step) {
        if (!ws_) co_return co_await not_open(step);
        error_code ec;
        beast::get_lowest_layer(*ws_).expires_after(step.timeout);
        co_await ws_->async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return exchange_result{*failed(step, ec, "close")};
        ws_.reset();
        co_return exchange_result{exchange_outcome::ok, 0, 0};
    }

    io_thread& thread_;
    std::optional<stream_type> ws_;
    beast::flat_buffer buffer_;
    tls_session_slot session_;
    no_tls none_;  // a ws:// connection's TLS layer: none
    bool cut_ = false;
};

}  // namespace

std::unique_ptr<host_connection> make_ws_connection(io_thread& thread, const resolved_host& to) {
    if (to.tls) return std::make_unique<ws_connection<beast::ssl_stream<beast::tcp_stream>>>(thread);
    return std::make_unique<ws_connection<beast::tcp_stream>>(thread);
}

}  // namespace stampede::worker
