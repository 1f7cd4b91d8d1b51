#pragma once
// A new connection to a host, opened the same way whatever protocol then speaks on it (an
// HTTP exchange, a WebSocket; next an SSE stream or an HTTP/2 session): the TCP connect to the
// host's addresses, then, for an https:// or wss:// host, the TLS handshake with the host's
// shared client and the session its user's last connection was given. Each is timed into the
// step's endpoint phases (`connect`, `tls_handshake`). A failure is counted once, by kind:
// cancelled (the user is being cut off: not a failure), a timeout named for its phase, a
// connect error with the system's reason, a TLS error with OpenSSL's (its session is then not
// offered again). What differs between protocols is only how their owner times out and is
// cut off, which it says through an `open_watch`.
#include <chrono>
#include <optional>
#include <string_view>
#include <type_traits>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "worker/exchange.hpp"
#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/tls_client.hpp"

namespace stampede::worker {

// How a connection's owner tells why a wait ended early.
class open_watch {
public:
    // The user is being cut off (a stop): the step is cancelled, not failed.
    virtual bool cancelled(const boost::system::error_code& ec) const = 0;
    // The step's deadline passed.
    virtual bool timed_out(const boost::system::error_code& ec) const = 0;

protected:
    ~open_watch() = default;
};

// The TLS layer of a connection to an http:// host: there is none.
struct no_tls {};

// What was opened, and how: the layers of one connection and its TLS session, if it has TLS.
template <class TcpLayer, class TlsLayer>
struct connection_layers {
    TcpLayer& tcp;           // a socket, or Beast's tcp_stream (which times its own waits)
    TlsLayer& tls;           // an SSL stream over `tcp`, or no_tls
    tls_session_slot* session;  // the user's session for the host; null without TLS
};

namespace opening {

using error_code = boost::system::error_code;

// The failures, counted (in connection_opener.cpp); each gives the outcome the step ends with.
std::optional<exchange_outcome> interrupted(io_thread& thread, const prepared_step& step, const open_watch& watch,
                                            const error_code& ec, std::string_view phase);
exchange_outcome connect_failed(io_thread& thread, const prepared_step& step, const open_watch& watch,
                                const error_code& ec);
exchange_outcome handshake_failed(io_thread& thread, const prepared_step& step, const open_watch& watch,
                                  const error_code& ec, SSL* ssl, tls_session_slot& session);
void record_phase(io_thread& thread, const prepared_step& step, bool handshake, std::chrono::steady_clock::time_point began);

template <class Token>
auto connect_to(boost::asio::ip::tcp::socket& socket, const resolved_host& to, Token&& token) {
    return boost::asio::async_connect(socket, to.addresses, std::forward<Token>(token));
}
template <class Token>
auto connect_to(boost::beast::tcp_stream& stream, const resolved_host& to, Token&& token) {
    return stream.async_connect(to.addresses, std::forward<Token>(token));
}
inline boost::asio::ip::tcp::socket& raw_socket(boost::asio::ip::tcp::socket& socket) { return socket; }
inline boost::asio::ip::tcp::socket& raw_socket(boost::beast::tcp_stream& stream) { return stream.socket(); }

}  // namespace opening

// Opens `layers` to `to`. Nothing when the connection is up (TCP_NODELAY set: requests are
// written whole); else the step's outcome, its failure counted, and the caller drops the
// connection. `to` and the layers must outlive the wait.
template <class TcpLayer, class TlsLayer>
boost::asio::awaitable<std::optional<exchange_outcome>> open_connection(io_thread& thread, const prepared_step& step,
                                                                        const resolved_host& to,
                                                                        connection_layers<TcpLayer, TlsLayer> layers,
                                                                        const open_watch& watch) {
    namespace asio = boost::asio;
    opening::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    const auto began = std::chrono::steady_clock::now();
    co_await opening::connect_to(layers.tcp, to, token);
    if (ec) co_return opening::connect_failed(thread, step, watch, ec);
    opening::record_phase(thread, step, false, began);
    opening::error_code ignored;  // a socket without it still works
    opening::raw_socket(layers.tcp).set_option(asio::ip::tcp::no_delay(true), ignored);
    if constexpr (!std::is_same_v<TlsLayer, no_tls>) {
        to.tls->prepare(layers.tls.native_handle(), *layers.session);
        const auto shaking = std::chrono::steady_clock::now();
        co_await layers.tls.async_handshake(asio::ssl::stream_base::client, token);
        if (ec) co_return opening::handshake_failed(thread, step, watch, ec, layers.tls.native_handle(), *layers.session);
        opening::record_phase(thread, step, true, shaking);
    }
    co_return std::nullopt;
}

}  // namespace stampede::worker
