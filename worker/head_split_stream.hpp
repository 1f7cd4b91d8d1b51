#pragma once
// A stream layer under a WebSocket stream that, while armed for the upgrade, ends a read at the
// end of the HTTP head ("\r\n\r\n") and hands the bytes after it to the next read.
//
// Why: Beast 1.74 reads the upgrade response with an eager string-body parser. When a refused
// upgrade announces a body past its limit and body bytes came in the same read as the head,
// the parser, after refusing the length, still asks its body to reserve it: a hostile or broken
// server's "Content-Length: 922337203758072" ended the worker with std::bad_alloc. With the
// head alone in the parser's buffer, the refusal is the end of the read.
// Included by ws_connection.cpp only (it pulls in Asio and Beast).
#include <cstddef>
#include <string>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <boost/system/error_code.hpp>

namespace stampede::worker {

template <class Next>
class head_split_stream {
public:
    using executor_type = typename Next::executor_type;
    using next_layer_type = Next;

    template <class... Args>
    explicit head_split_stream(Args&&... args) : next_(std::forward<Args>(args)...) {}

    executor_type get_executor() noexcept { return next_.get_executor(); }
    Next& next_layer() noexcept { return next_; }
    const Next& next_layer() const noexcept { return next_; }

    // Until the end of the next HTTP head, reads stop there.
    void arm() {
        armed_ = true;
        matched_ = 0;
    }

    template <class MutableBuffers, class Handler>
    auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
        enum class step { start, handed_held, read };
        return boost::asio::async_compose<Handler, void(boost::system::error_code, std::size_t)>(
            [this, buffers, at = step::start, given = std::size_t{0}](auto& self, boost::system::error_code ec = {},
                                                                      std::size_t n = 0) mutable {
                switch (at) {
                    case step::start:
                        if (!held_.empty()) {  // what came after a head: no need to wait for the network
                            given = boost::asio::buffer_copy(buffers, boost::asio::buffer(held_));
                            held_.erase(0, given);
                            at = step::handed_held;
                            boost::asio::post(next_.get_executor(), std::move(self));
                            return;
                        }
                        at = step::read;
                        next_.async_read_some(buffers, std::move(self));
                        return;
                    case step::handed_held:
                        self.complete({}, given);
                        return;
                    case step::read:
                        if (!ec && armed_) n = keep_past_head(buffers, n);
                        self.complete(ec, n);
                        return;
                }
            },
            handler, next_);
    }

    template <class ConstBuffers, class Handler>
    auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
        return next_.async_write_some(buffers, std::forward<Handler>(handler));
    }

private:
    // Of the `n` bytes just read, keeps those after the head's end for the next read; returns
    // how many the caller gets.
    template <class MutableBuffers>
    std::size_t keep_past_head(const MutableBuffers& buffers, std::size_t n) {
        std::string read(n, '\0');
        boost::asio::buffer_copy(boost::asio::buffer(read), buffers, n);
        static constexpr char end[] = "\r\n\r\n";
        for (std::size_t i = 0; i < n; ++i) {
            matched_ = read[i] == end[matched_] ? matched_ + 1 : (read[i] == '\r' ? 1 : 0);
            if (matched_ == 4) {
                armed_ = false;
                held_.assign(read, i + 1);
                return i + 1;
            }
        }
        return n;
    }

    Next next_;
    std::string held_;
    bool armed_ = false;
    std::size_t matched_ = 0;
};

// Closing a WebSocket tears down the layer beneath the split, as it would without it.
template <class Next>
void teardown(boost::beast::role_type role, head_split_stream<Next>& stream, boost::system::error_code& ec) {
    using boost::beast::websocket::teardown;
    teardown(role, stream.next_layer(), ec);
}

template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, head_split_stream<Next>& stream, Handler&& handler) {
    using boost::beast::websocket::async_teardown;
    async_teardown(role, stream.next_layer(), std::forward<Handler>(handler));
}

}  // namespace stampede::worker
