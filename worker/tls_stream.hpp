#pragma once
// The stream of an HTTPS connection: a TLS stream over a TCP socket, made anew for each
// connection (an SSL object serves one), with the TLS session its user resumes. Beast finds
// the socket under it (next_layer), so an exchange connects and closes it as a plain one.
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include "worker/tls_client.hpp"

namespace stampede::worker {

class tls_stream {
public:
    using next_layer_type = boost::asio::ip::tcp::socket;
    using executor_type = next_layer_type::executor_type;

    explicit tls_stream(boost::asio::io_context& io) : io_(io) {}

    // A new connection to a host with `client`'s TLS: a fresh socket and SSL, its session offered.
    void renew(const tls_client& client) {
        if (stream_) retire_connection(stream_->native_handle());
        stream_.emplace(io_, client.context());
        client.prepare(stream_->native_handle(), session_);
    }
    // The connection failed in TLS itself (an alert, a bad record): its session is not offered again.
    void forget_session() { session_.session.reset(); }
    bool ready() const { return stream_.has_value(); }
    SSL* native() { return stream_ ? stream_->native_handle() : nullptr; }
    boost::asio::ssl::stream<next_layer_type>& ssl() { return *stream_; }

    next_layer_type& next_layer() { return stream_ ? stream_->next_layer() : idle_socket(); }
    executor_type get_executor() { return io_.get_executor(); }

    template <class Buffers, class Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return stream_->async_read_some(buffers, std::forward<Token>(token));
    }
    template <class Buffers, class Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return stream_->async_write_some(buffers, std::forward<Token>(token));
    }

private:
    // Before the first connection there is nothing to close: a closed socket stands in.
    next_layer_type& idle_socket() {
        if (!idle_) idle_.emplace(io_);
        return *idle_;
    }

    boost::asio::io_context& io_;
    std::optional<boost::asio::ssl::stream<next_layer_type>> stream_;
    std::optional<next_layer_type> idle_;
    tls_session_slot session_;
};

}  // namespace stampede::worker
