#pragma once
// One HTTP/1.1 request and its response over a keep-alive connection, templated on the
// stream: plain_stream (a TCP socket) or tls_stream (TLS over one); what differs between them
// is the stream's, and a new connection is opened by the connection opener as every protocol's
// is. Requests are written from the buffer prepared_scenario built, or rendered from the
// step's templates; responses are read with response_reader, which keeps the body and headers
// only for a step that keeps them (in the user's kept_response). One deadline per request
// covers connect, write and read.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include "scenario/response_checks.hpp"
#include "scenario/template.hpp"
#include "worker/host_connection.hpp"
#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/plain_stream.hpp"
#include "worker/tls_stream.hpp"
#include "worker/exchange.hpp"

namespace stampede::worker {

class response_reader;

template <class Stream>
class http_exchange final : public host_connection, private open_watch {
public:
    explicit http_exchange(io_thread& thread);
    ~http_exchange() override;

    boost::asio::awaitable<exchange_result> perform(const prepared_step& step, const resolved_host& to,
                                                    exchange_context& user) override;
    void close() override;

private:
    using error_code = boost::system::error_code;

    // Renders a templated request into `wire`; false when a rendered value would break its
    // line (counted then as a failure of kind `request`, nothing to send).
    bool render_request(const prepared_step& step, const resolved_host& to, lang::template_context& context,
                        std::string& wire);
    void arm_deadline(common::micros timeout);
    void wait_for_deadline();
    void start_response(std::optional<response_reader>& reader, const prepared_step& step,
                        exchange_context& user);
    boost::asio::awaitable<std::optional<exchange_outcome>> open(const prepared_step& step, const resolved_host& to);
    exchange_outcome response_outcome(const prepared_step& step, const response_reader& reader, int interim);
    void record_exchange_failure(const prepared_step& step, const error_code& ec);
    bool refuse_unsafe(const prepared_step& step, int code, const std::string& why);
    bool unsolicited_bytes_waiting();
    void end_of_input(response_reader& reader, error_code& ec);
    std::size_t read_room() const;
    // open_watch: a cut-off user's waits end aborted; a passed deadline closes the socket.
    bool cancelled(const error_code& ec) const override;
    bool timed_out(const error_code& ec) const override;
    void drop_connection();

    io_thread& thread_;
    Stream stream_;
    boost::asio::steady_timer deadline_;  // the request in flight; closes the connection when it passes
    boost::beast::flat_buffer buffer_;
    std::chrono::steady_clock::time_point deadline_at_{};
    bool connected_ = false;
    bool in_flight_ = false;
    bool timed_out_ = false;
    bool deadline_pending_ = false;
};

extern template class http_exchange<plain_stream>;
extern template class http_exchange<tls_stream>;

}  // namespace stampede::worker
