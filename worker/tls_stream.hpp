#pragma once
// The stream of an https:// connection: a TLS stream over a TCP socket, made anew for each
// connection (an SSL object serves one), with the TLS session its user resumes. It offers
// what plain_stream offers, so an exchange written once over either never asks which it has.
#include <optional>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "worker/connection_opener.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/tls_client.hpp"

namespace stampede::worker {

class tls_stream {
public:
    using socket_type = boost::asio::ip::tcp::socket;
    using ssl_type = boost::asio::ssl::stream<socket_type>;

    explicit tls_stream(boost::asio::io_context& io) : io_(io) {}

    // A new connection to a host: a fresh socket and SSL from the host's TLS client. The
    // opener offers the session before its handshake.
    void renew(const resolved_host& to) {
        if (stream_) retire_connection(stream_->native_handle());
        stream_.emplace(io_, to.tls->context());
    }
    connection_layers<socket_type, ssl_type> layers() { return {stream_->next_layer(), *stream_, &session_}; }
    // Before the first connection there is nothing to close.
    void close() {
        boost::system::error_code ignored;
        if (stream_) stream_->next_layer().close(ignored);
    }

    // The server closed the connection. A close without its close_notify alert is how most
    // servers end a connection, and means the same.
    static bool closed_by_peer(const boost::system::error_code& ec) {
        return ec == boost::asio::error::eof || ec == boost::asio::ssl::error::stream_truncated;
    }
    // Only what was read already would count, and nothing is read between requests: records
    // that are not data (a session ticket, a closing alert) may wait in the socket then, so
    // the kernel's count says nothing.
    bool bytes_waiting() { return false; }
    SSL* native() { return stream_ ? stream_->native_handle() : nullptr; }
    // The connection failed in TLS itself (an alert, a bad record): its session is not offered again.
    void forget_session() { session_.session.reset(); }

    template <class Buffers, class Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return stream_->async_read_some(buffers, std::forward<Token>(token));
    }
    template <class Buffers, class Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return stream_->async_write_some(buffers, std::forward<Token>(token));
    }

private:
    boost::asio::io_context& io_;
    std::optional<ssl_type> stream_;
    tls_session_slot session_;
};

}  // namespace stampede::worker
