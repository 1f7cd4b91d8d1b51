#pragma once
// The stream of an http:// connection: a TCP socket, reopened by each connect. It offers what
// tls_stream offers, so an exchange written once over either never asks which it has: the
// TLS differences (a handshake, how a peer's close looks, whether unread bytes can be seen)
// are the stream type's.
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "worker/connection_opener.hpp"
#include "worker/prepared_scenario.hpp"

namespace stampede::worker {

class plain_stream {
public:
    explicit plain_stream(boost::asio::io_context& io) : socket_(io) {}

    // A new connection to a host: the socket is reopened by the connect.
    void renew(const resolved_host&) {}
    connection_layers<boost::asio::ip::tcp::socket, no_tls> layers() { return {socket_, none_, nullptr}; }
    boost::asio::ip::tcp::socket& socket() { return socket_; }
    void close() {
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    // The server closed the connection.
    static bool closed_by_peer(const boost::system::error_code& ec) { return ec == boost::asio::error::eof; }
    // Whether bytes wait unread in the kernel while no request is out: one ioctl.
    bool bytes_waiting() {
        boost::system::error_code ec;
        return socket_.available(ec) > 0 && !ec;
    }
    // There is no TLS to fail or resume.
    SSL* native() { return nullptr; }
    void forget_session() {}

    template <class Buffers, class Token>
    auto async_read_some(const Buffers& buffers, Token&& token) {
        return socket_.async_read_some(buffers, std::forward<Token>(token));
    }
    template <class Buffers, class Token>
    auto async_write_some(const Buffers& buffers, Token&& token) {
        return socket_.async_write_some(buffers, std::forward<Token>(token));
    }

private:
    boost::asio::ip::tcp::socket socket_;
    no_tls none_;
};

}  // namespace stampede::worker
