#include "worker/http_exchange.hpp"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>

#include "scenario/request_text.hpp"
#include "worker/response_reader.hpp"
#include "worker/tls_client.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using stats::error_kind;
using common::micros;
using steady = std::chrono::steady_clock;

namespace {

// Transport errors that are the server's protocol violations, not the socket's: codes of
// their own (negative, apart from errno values), each its own row in the errors table.
constexpr int unsolicited_code = -1;
constexpr int unexpected_upgrade_code = -2;
constexpr int too_many_interim_code = -3;
constexpr const char* unsolicited_message =
    "the server sent bytes with no request outstanding (a response sent twice, or before its request): "
    "connection closed";
// Servers send one or two interim responses (100 Continue, 103 Early Hints); far more is a
// server looping, which would otherwise hold the request until its timeout.
constexpr int max_interim_responses = 16;

// Clears the in-flight mark however the exchange ends: the deadline's wake-up reads it.
struct in_flight_scope {
    bool& flag;
    ~in_flight_scope() { flag = false; }
};

}  // namespace

template <class Stream>
http_exchange<Stream>::http_exchange(io_thread& thread) : thread_(thread), stream_(thread.io), deadline_(thread.io) {}

template <class Stream>
http_exchange<Stream>::~http_exchange() = default;

template <class Stream>
void http_exchange<Stream>::close() {
    stream_.close();
}

template <class Stream>
void http_exchange<Stream>::drop_connection() {
    close();
    connected_ = false;
    buffer_.clear();  // what a broken connection left unread is not the next response
}

template <class Stream>
bool http_exchange<Stream>::cancelled(const error_code& ec) const {
    return thread_.cutting_off && (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor);
}

// Whatever the error, once the deadline has closed the connection the step timed out.
template <class Stream>
bool http_exchange<Stream>::timed_out(const error_code&) const {
    return timed_out_;
}

// As Beast sizes its reads: at least 512 bytes, at most 64 KiB, the buffer's spare room.
template <class Stream>
std::size_t http_exchange<Stream>::read_room() const {
    return std::clamp<std::size_t>(buffer_.capacity() - buffer_.size(), 512, 65536);
}

// One deadline per request covers connect, write and read. The timer is not re-armed per
// request: while a wait is pending that fires no later than this request's deadline, the
// request only records its deadline, and the wake-up re-arms for it. A user at full speed
// thus touches its timer about once per timeout period, not once per request.
template <class Stream>
void http_exchange<Stream>::arm_deadline(micros timeout) {
    in_flight_ = true;
    timed_out_ = false;
    deadline_at_ = steady::now() + timeout;
    if (deadline_pending_ && deadline_.expiry() <= deadline_at_) return;
    wait_for_deadline();
}

template <class Stream>
void http_exchange<Stream>::wait_for_deadline() {
    deadline_pending_ = true;
    deadline_.expires_at(deadline_at_);  // cancels a later wait: its handler sees the abort
    deadline_.async_wait([this](const error_code& ec) {
        if (ec) return;  // re-armed earlier, or the user is gone: `this` is not touched then
        deadline_pending_ = false;
        if (!in_flight_) return;
        if (steady::now() < deadline_at_) return wait_for_deadline();  // a later request's
        timed_out_ = true;
        close();
    });
}

// Writes a templated step's request: request line, the constant headers prepared once, the
// templated ones, then the body with its length. A rendered path is percent-encoded where it
// holds spaces or controls; a path or header value holding a line break or NUL (an extracted
// value, a data field) is not sent at all: it would write lines nobody wrote.
template <class Stream>
bool http_exchange<Stream>::render_request(const prepared_step& step, const resolved_host& to,
                                           lang::template_context& context, std::string& wire) {
    const auto& spec = step.spec->request;
    wire.append(spec.method).append(" ").append(to.url.base_path);
    const auto path_at = wire.size();
    lang::render_template(spec.path, context, wire);
    if (!lang::make_request_target(wire, path_at))
        return refuse_unsafe(step, lang::unsafe_path_code, "the path a template rendered holds a line break or NUL: not sent");
    wire.append(" HTTP/1.1\r\n").append(step.header_lines);
    // A class or scenario header such as "Bearer {{ token }}" waits for its variable (set by
    // a login in on_start): until then it is left out, and the login itself can run.
    for (const auto& header : step.templated_headers) {
        const bool ready = std::all_of(header.variables.begin(), header.variables.end(),
                                       [&](std::uint32_t slot) { return context.has_variable(slot); });
        if (!ready) continue;
        wire.append(header.name).append(": ");
        const auto value_at = wire.size();
        lang::render_template(*header.value, context, wire);
        if (lang::header_value_problem(std::string_view(wire).substr(value_at)))
            return refuse_unsafe(step, lang::unsafe_header_code,
                                 "header '" + header.name + "' as a template rendered it holds a line break or NUL: not sent");
        wire.append("\r\n");
    }
    if (spec.body.constant()) {  // its Content-Length is among the constant headers
        wire.append("\r\n").append(spec.body.text());
        return true;
    }
    std::string body;
    lang::render_template(spec.body, context, body);
    wire.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n").append(body);
    return true;
}

template <class Stream>
bool http_exchange<Stream>::refuse_unsafe(const prepared_step& step, int code, const std::string& why) {
    count_failure(thread_, step.spec->endpoint_id, error_kind::request, code, why);
    return false;
}

// Written and read straight on the stream, in this frame: one coroutine frame per request,
// none of http::async_read's composed operations.
template <class Stream>
asio::awaitable<exchange_result> http_exchange<Stream>::perform(const prepared_step& step, const resolved_host& to,
                                                                exchange_context& user) {
    std::string rendered;
    if (!step.constant && !render_request(step, to, user, rendered)) co_return exchange_result{exchange_outcome::failed};
    const std::string_view wire = step.constant ? std::string_view(step.wire) : std::string_view(rendered);
    std::optional<response_reader> reader;
    error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    arm_deadline(step.timeout);
    const in_flight_scope in_flight{in_flight_};
    for (int attempt = 0; attempt < 2; ++attempt) {
        ec = {};  // a retry starts afresh
        const bool reused = connected_;
        if (!connected_)
            if (auto failed = co_await open(step, to)) co_return exchange_result{*failed};
        // Bytes waiting on a connection with no request outstanding (a response sent twice,
        // or before its request) would be read as this request's answer: the connection is
        // closed and the request fails unsent, so no response is paired with the wrong request.
        if (reused && unsolicited_bytes_waiting()) {
            drop_connection();
            count_failure(thread_, step.spec->endpoint_id, error_kind::transport, unsolicited_code, unsolicited_message);
            co_return exchange_result{exchange_outcome::failed};
        }
        for (auto rest = wire; !ec && !rest.empty();)
            rest.remove_prefix(co_await stream_.async_write_some(asio::buffer(rest.data(), rest.size()), token));
        int interim = 0;
        for (;;) {
            start_response(reader, step, user);
            while (!ec && !reader->feed(buffer_, ec)) {
                const auto n = co_await stream_.async_read_some(buffer_.prepare(read_room()), token);
                buffer_.commit(n);
                if (ec && Stream::closed_by_peer(ec)) end_of_input(*reader, ec);
            }
            // 1xx responses before the final one are interim (RFC 9110, 15.2): skipped. A 101
            // answers an upgrade, which a plain HTTP step never asks for.
            if (ec || reader->status() < 100 || reader->status() > 199 || reader->status() == 101) break;
            if (++interim > max_interim_responses) break;
        }
        if (!ec) {
            const auto outcome = response_outcome(step, *reader, interim);
            if (outcome != exchange_outcome::ok) co_return exchange_result{outcome};
            co_return exchange_result{outcome, static_cast<std::uint16_t>(reader->status()), 0, reader->body_bytes()};
        }
        drop_connection();
        if (cancelled(ec)) co_return exchange_result{exchange_outcome::cancelled};
        const bool stale = ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                           ec == asio::error::broken_pipe || Stream::closed_by_peer(ec);
        if (reused && stale && attempt == 0 && !reader->got_some() && !timed_out_) continue;
        record_exchange_failure(step, ec);
        co_return exchange_result{exchange_outcome::failed};
    }
    co_return exchange_result{exchange_outcome::failed};
}

// A new connection, opened as every protocol opens one (worker/connection_opener.hpp).
template <class Stream>
asio::awaitable<std::optional<exchange_outcome>> http_exchange<Stream>::open(const prepared_step& step, const resolved_host& to) {
    stream_.renew(to);
    auto failed = co_await open_connection(thread_, step, to, stream_.layers(), *this);
    if (failed) drop_connection();
    else connected_ = true;
    co_return failed;
}

// A response read whole: the final one unless the server broke HTTP (a 101 nobody asked for,
// endless interim responses, bytes after the response with no request outstanding).
template <class Stream>
exchange_outcome http_exchange<Stream>::response_outcome(const prepared_step& step, const response_reader& reader,
                                                         int interim) {
    const auto endpoint = step.spec->endpoint_id;
    if (interim > max_interim_responses || reader.status() == 101) {
        drop_connection();
        if (reader.status() == 101)
            count_failure(thread_, endpoint, error_kind::transport, unexpected_upgrade_code,
                          "HTTP 101 Switching Protocols, but no upgrade was asked for");
        else
            count_failure(thread_, endpoint, error_kind::transport, too_many_interim_code,
                          "more than " + std::to_string(max_interim_responses) + " interim (1xx) responses");
        return exchange_outcome::failed;
    }
    if (!reader.keep_alive()) {
        drop_connection();
    } else if (buffer_.size() > 0) {  // more bytes came after the response than it holds
        drop_connection();
        count_failure(thread_, endpoint, error_kind::transport, unsolicited_code, unsolicited_message);
        return exchange_outcome::failed;
    }
    return exchange_outcome::ok;
}

// The request failed on the stream: counted by why (its deadline, its body limit, the socket).
template <class Stream>
void http_exchange<Stream>::record_exchange_failure(const prepared_step& step, const error_code& ec) {
    const auto endpoint = step.spec->endpoint_id;
    if (timed_out(ec)) {
        count_failure(thread_, endpoint, error_kind::timeout, 0,
                      "request timed out after " + common::format_duration(step.timeout));
    } else if (ec.category() == asio::error::get_ssl_category()) {  // an alert: a refused client certificate
        SSL* ssl = stream_.native();
        count_failure(thread_, endpoint, error_kind::tls, tls_failure_code(ssl, ec), "TLS: " + tls_failure_reason(ssl, ec));
        stream_.forget_session();
    } else if (ec == http::error::body_limit) {
        count_failure(thread_, endpoint, error_kind::transport, ec.value(),
                      "the response body is larger than max_body (" + std::to_string(step.max_body) + " bytes)");
    } else {
        count_failure(thread_, endpoint, error_kind::transport, ec.value(), ec.message());
    }
}

template <class Stream>
void http_exchange<Stream>::start_response(std::optional<response_reader>& reader, const prepared_step& step,
                                          exchange_context& user) {
    kept_response* kept = step.keeps_response ? &user.kept() : nullptr;
    reader.emplace(kept ? &kept->body : nullptr, kept ? &kept->headers : nullptr);
    reader->body_limit(step.max_body);
    reader->eager(true);
    if (step.head) reader->skip(true);
}

// Whether bytes came for this connection while no request was out: read already, or waiting
// where the stream can see them.
template <class Stream>
bool http_exchange<Stream>::unsolicited_bytes_waiting() {
    return buffer_.size() > 0 || stream_.bytes_waiting();
}

// The server closed the connection: before any byte of the response, it had dropped an idle
// keep-alive connection (retried on a new one); inside a body delimited by the close, the
// response is complete; anywhere else, it is cut short.
template <class Stream>
void http_exchange<Stream>::end_of_input(response_reader& reader, error_code& ec) {
    if (!reader.got_some()) {
        ec = http::error::end_of_stream;
        return;
    }
    ec = {};
    reader.put_eof(ec);
    if (!ec && !reader.is_done()) ec = http::error::partial_message;
}

template class http_exchange<plain_stream>;
template class http_exchange<tls_stream>;

}  // namespace stampede::worker
