// HTTP users as C++20 coroutines on Asio, with Beast's parser for HTTP/1.1. They run the
// requests prepared_scenario built, to the targets it resolved. Each user owns one
// keep-alive connection, its read buffer, its timers, its RNG and (when the scenario has any)
// its variables and data rows; it records into its thread's shard without locks. A constant
// step whose response nobody inspects is written from a ready buffer and read without
// building a message.
#include "worker/http_user.hpp"

#include <algorithm>
#include <atomic>
#include <optional>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/response_reader.hpp"
#include "worker/rng.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using stats::error_kind;
using common::micros;
using steady = std::chrono::steady_clock;

namespace {

enum class outcome { ok, failed, cancelled };

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

// A user's variables and data rows; only users of scenarios that have any carry one.
struct user_state {
    std::vector<std::optional<std::string>> variables;
    std::vector<std::int64_t> rows;               // current row per data set; -1: none yet this iteration
    std::vector<std::uint64_t> own_cursors;       // per-user cursors (scope: per_user)
};

class http_user final : public user_handle, private lang::template_context {
public:
    http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
              std::uint64_t seed)
        : user_handle(class_index),
          thread_(thread),
          scenario_(std::move(scenario)),
          class_(scenario_->classes[class_index]),
          socket_(thread.io),
          timer_(thread.io),
          deadline_(thread.io),
          rng_(seed),
          index_(scenario_->users_started.fetch_add(1, std::memory_order_relaxed)) {
        if (scenario_->stateful) {
            const auto& sc = *scenario_->sc;
            state_ = std::make_unique<user_state>();
            state_->variables.resize(sc.variables.size());
            state_->rows.assign(sc.data.size(), -1);
            state_->own_cursors.assign(sc.data.size(), 0);
        }
    }

    asio::awaitable<void> run();
    void cut_off() override {
        beast::error_code ignored;
        socket_.close(ignored);
        timer_.cancel();
    }

protected:
    void wake() override { timer_.cancel(); }

private:
    // Where a step that inspects its response gets the body and headers; made on first use.
    struct inspected_response {
        std::string body;
        response_reader::header_list headers;
    };

    void close() {
        beast::error_code ignored;
        socket_.close(ignored);
        connected_ = false;
        buffer_.clear();  // what a broken connection left unread is not the next response
    }
    void arm_deadline(micros timeout);
    void wait_for_deadline();
    bool parse_buffered(response_reader& reader, beast::error_code& ec);
    void start_response(std::optional<response_reader>& reader, bool keep, bool head, std::uint64_t max_body);
    std::optional<outcome> connect_failure(const prepared_step& step, const beast::error_code& ec);
    outcome response_outcome(const prepared_step& step, const response_reader& reader, int interim);
    void record_exchange_failure(const prepared_step& step, const beast::error_code& ec);
    bool unsolicited_bytes_waiting();
    void end_of_input(response_reader& reader, beast::error_code& ec);
    // As Beast sizes its reads: at least 512 bytes, at most 64 KiB, the buffer's spare room.
    std::size_t read_room() const { return std::clamp<std::size_t>(buffer_.capacity() - buffer_.size(), 512, 65536); }
    const prepared_task& pick_task();
    void start_iteration();
    void set_vars();
    bool has_needed_variables(const lang::step_spec& step) const;
    void render_request(const prepared_step& step, std::string& wire);
    asio::awaitable<void> run_steps(const std::vector<prepared_step>& steps);
    asio::awaitable<void> execute(const prepared_step& step);
    asio::awaitable<outcome> exchange(const prepared_step& step, std::string_view wire, bool head,
                                      std::optional<response_reader>& reader, bool keep);
    bool inspect(const prepared_step& step, unsigned status, micros latency, bool status_ok);
    void forget_extracted(const lang::step_spec& step);
    asio::awaitable<void> pause(const lang::wait_time& wait, micros since_start = micros(0));
    void fail(std::uint32_t endpoint, error_kind kind, int code, const std::string& detail);
    bool check_status(const lang::request_spec& spec, unsigned status);
    bool is_cancellation(const beast::error_code& ec) const {
        return thread_.cutting_off && (ec == asio::error::operation_aborted ||
                                       ec == asio::error::bad_descriptor);
    }
    bool is_timeout(const beast::error_code& ec) const {
        return timed_out_ && (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor);
    }

    // template_context
    std::uint64_t random_below(std::uint64_t bound) override { return rng_.below(bound); }
    std::string_view variable(std::uint32_t slot) override {
        const auto& v = state_->variables[slot];
        return v ? std::string_view(*v) : std::string_view();
    }
    std::string_view data_value(std::uint32_t set, std::uint32_t column) override;
    std::uint64_t next_counter() override { return ++counter_; }
    std::uint64_t next_global_counter() override {
        return scenario_->global_counter.fetch_add(1, std::memory_order_relaxed) + 1;
    }
    std::uint64_t user_index() override { return index_; }

    io_thread& thread_;
    std::shared_ptr<const prepared_scenario> scenario_;
    const prepared_class& class_;
    tcp::socket socket_;
    asio::steady_timer timer_;     // think time
    asio::steady_timer deadline_;  // the request in flight; closes the socket when it passes
    beast::flat_buffer buffer_;
    std::unique_ptr<inspected_response> inspected_;
    rng rng_;
    std::uint64_t index_;
    std::uint64_t counter_ = 0;
    std::unique_ptr<user_state> state_;
    bool connected_ = false;
    bool in_flight_ = false;
    bool timed_out_ = false;
    bool deadline_pending_ = false;
    steady::time_point deadline_at_{};
    unsigned last_status_ = 0;
};

// One deadline per request covers connect, write and read. The timer is not re-armed per
// request: while a wait is pending that fires no later than this request's deadline, the
// request only records its deadline, and the wake-up re-arms for it. A user at full speed
// thus touches its timer about once per timeout period, not once per request.
void http_user::arm_deadline(micros timeout) {
    in_flight_ = true;
    timed_out_ = false;
    deadline_at_ = steady::now() + timeout;
    if (deadline_pending_ && deadline_.expiry() <= deadline_at_) return;
    wait_for_deadline();
}

void http_user::wait_for_deadline() {
    deadline_pending_ = true;
    deadline_.expires_at(deadline_at_);  // cancels a later wait: its handler sees the abort
    deadline_.async_wait([this](const beast::error_code& ec) {
        if (ec) return;  // re-armed earlier, or the user is gone: `this` is not touched then
        deadline_pending_ = false;
        if (!in_flight_) return;
        if (steady::now() < deadline_at_) return wait_for_deadline();  // a later request's
        timed_out_ = true;
        beast::error_code ignored;
        socket_.close(ignored);
    });
}

const prepared_task& http_user::pick_task() {
    const auto& weights = class_.cumulative_weight;
    if (weights.size() == 1) return class_.tasks.front();
    const auto roll = rng_.below(weights.back());
    const auto it = std::upper_bound(weights.begin(), weights.end(), roll);
    return class_.tasks[static_cast<std::size_t>(it - weights.begin())];
}

// Each iteration draws fresh data rows, at most one per data set.
void http_user::start_iteration() {
    if (state_) std::fill(state_->rows.begin(), state_->rows.end(), -1);
}

void http_user::set_vars() {
    for (const auto& v : class_.spec->vars) {
        std::string value;
        lang::render_template(v.value, *this, value);
        state_->variables[v.slot] = std::move(value);
    }
}

std::string_view http_user::data_value(std::uint32_t set, std::uint32_t column) {
    const auto& data = scenario_->sc->data[set];
    auto& row = state_->rows[set];
    if (row < 0) {
        const auto count = data.rows.size();
        std::uint64_t pick = 0;
        if (data.pick == lang::data_set::order::random) pick = rng_.below(count);
        else if (data.sharing == lang::data_set::scope::per_user) pick = state_->own_cursors[set]++ % count;
        else pick = scenario_->data_cursors[set].fetch_add(1, std::memory_order_relaxed) % count;
        row = static_cast<std::int64_t>(pick);
    }
    return data.rows[static_cast<std::size_t>(row)][column];
}

bool http_user::has_needed_variables(const lang::step_spec& step) const {
    for (auto slot : step.request.variables)
        if (!state_->variables[slot]) return false;
    return true;
}

// Writes a templated step's request: request line, the constant headers prepared once, the
// templated ones, then the body with its length.
void http_user::render_request(const prepared_step& step, std::string& wire) {
    const auto& spec = step.spec->request;
    wire.append(spec.method).append(" ").append(scenario_->targets[step.target].url.base_path);
    lang::render_template(spec.path, *this, wire);
    wire.append(" HTTP/1.1\r\n").append(step.header_lines);
    // A class or scenario header such as "Bearer {{ token }}" waits for its variable (set by
    // a login in on_start): until then it is left out, and the login itself can run.
    for (const auto& header : step.templated_headers) {
        const bool ready = std::all_of(header.variables.begin(), header.variables.end(),
                                       [&](std::uint32_t slot) { return state_->variables[slot].has_value(); });
        if (!ready) continue;
        wire.append(header.name).append(": ");
        lang::render_template(*header.value, *this, wire);
        wire.append("\r\n");
    }
    if (spec.body.constant()) {  // its Content-Length is among the constant headers
        wire.append("\r\n").append(spec.body.text());
        return;
    }
    std::string body;
    lang::render_template(spec.body, *this, body);
    wire.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n").append(body);
}

void http_user::fail(std::uint32_t endpoint, error_kind kind, int code, const std::string& detail) {
    auto& record = thread_.shard.errors[{endpoint, kind, code}];
    if (record.count++ == 0) record.message = detail;  // the message is built once per interval
}

bool http_user::check_status(const lang::request_spec& spec, unsigned status) {
    const auto& expected = spec.expect_status;
    if (expected.empty()) return status < 400;
    return std::find(expected.begin(), expected.end(), static_cast<int>(status)) != expected.end();
}

// One request/response on the user's connection, connecting first when needed. A request
// on a reused connection that the server had already closed is retried once on a new one.
asio::awaitable<outcome> http_user::exchange(const prepared_step& step, std::string_view wire, bool head,
                                             std::optional<response_reader>& reader, bool keep) {
    const auto endpoint = step.spec->endpoint_id;
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    arm_deadline(step.timeout);
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = connected_;
        if (!connected_) {
            co_await asio::async_connect(socket_, scenario_->targets[step.target].addresses, token);
            if (auto failed = connect_failure(step, ec)) co_return *failed;
        }
        // Bytes waiting on a connection with no request outstanding (a response sent twice,
        // or before its request) would be read as this request's answer: the connection is
        // closed and the request fails unsent, so no response is paired with the wrong request.
        if (reused && unsolicited_bytes_waiting()) {
            close();
            fail(endpoint, error_kind::transport, unsolicited_code, unsolicited_message);
            co_return outcome::failed;
        }
        // Written and read straight on the socket, in this frame: one coroutine frame per
        // request, none of http::async_read's composed operations.
        for (auto rest = wire; !ec && !rest.empty();)
            rest.remove_prefix(co_await socket_.async_write_some(asio::buffer(rest.data(), rest.size()), token));
        int interim = 0;
        for (;;) {
            start_response(reader, keep, head, step.max_body);
            while (!ec && !parse_buffered(*reader, ec)) {
                const auto n = co_await socket_.async_read_some(buffer_.prepare(read_room()), token);
                buffer_.commit(n);
                if (ec == asio::error::eof) end_of_input(*reader, ec);
            }
            // 1xx responses before the final one are interim (RFC 9110, 15.2): skipped. A 101
            // answers an upgrade, which a plain HTTP step never asks for.
            if (ec || reader->status() < 100 || reader->status() > 199 || reader->status() == 101) break;
            if (++interim > max_interim_responses) break;
        }
        if (!ec) co_return response_outcome(step, *reader, interim);
        close();
        if (is_cancellation(ec)) co_return outcome::cancelled;
        const bool stale = ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                           ec == asio::error::broken_pipe || ec == asio::error::eof;
        if (reused && stale && attempt == 0 && !reader->got_some() && !timed_out_) continue;
        record_exchange_failure(step, ec);
        co_return outcome::failed;
    }
    co_return outcome::failed;
}

// After a connect: the outcome when it failed (the connection closed, the failure counted),
// nothing when the connection is up.
std::optional<outcome> http_user::connect_failure(const prepared_step& step, const beast::error_code& ec) {
    if (is_cancellation(ec)) return outcome::cancelled;
    const auto endpoint = step.spec->endpoint_id;
    if (is_timeout(ec) || timed_out_) {
        close();
        fail(endpoint, error_kind::timeout, 0, "connect timed out after " + common::format_duration(step.timeout));
        return outcome::failed;
    }
    if (ec) {
        close();
        fail(endpoint, error_kind::connect, ec.value(), "connect: " + ec.message());
        return outcome::failed;
    }
    beast::error_code ignored;  // a socket without it still works
    socket_.set_option(tcp::no_delay(true), ignored);
    connected_ = true;
    return std::nullopt;
}

// A response read whole: the final one unless the server broke HTTP (a 101 nobody asked for,
// endless interim responses, bytes after the response with no request outstanding).
outcome http_user::response_outcome(const prepared_step& step, const response_reader& reader, int interim) {
    const auto endpoint = step.spec->endpoint_id;
    if (interim > max_interim_responses || reader.status() == 101) {
        close();
        if (reader.status() == 101)
            fail(endpoint, error_kind::transport, unexpected_upgrade_code,
                 "HTTP 101 Switching Protocols, but no upgrade was asked for");
        else
            fail(endpoint, error_kind::transport, too_many_interim_code,
                 "more than " + std::to_string(max_interim_responses) + " interim (1xx) responses");
        return outcome::failed;
    }
    last_status_ = reader.status();
    if (!reader.keep_alive()) {
        close();
    } else if (buffer_.size() > 0) {  // more bytes came after the response than it holds
        close();
        fail(endpoint, error_kind::transport, unsolicited_code, unsolicited_message);
        return outcome::failed;
    }
    return outcome::ok;
}

// The request failed on the socket: counted by why (its deadline, its body limit, the socket).
void http_user::record_exchange_failure(const prepared_step& step, const beast::error_code& ec) {
    const auto endpoint = step.spec->endpoint_id;
    if (is_timeout(ec) || timed_out_) {
        fail(endpoint, error_kind::timeout, 0, "request timed out after " + common::format_duration(step.timeout));
    } else if (ec == http::error::body_limit) {
        fail(endpoint, error_kind::transport, ec.value(),
             "the response body is larger than max_body (" + std::to_string(step.max_body) + " bytes)");
    } else {
        fail(endpoint, error_kind::transport, ec.value(), ec.message());
    }
}

void http_user::start_response(std::optional<response_reader>& reader, bool keep, bool head, std::uint64_t max_body) {
    reader.emplace(keep ? &inspected_->body : nullptr, keep ? &inspected_->headers : nullptr);
    reader->body_limit(max_body);
    reader->eager(true);
    if (head) reader->skip(true);
}

// One ioctl: whether the kernel holds bytes for this connection while no request is out.
bool http_user::unsolicited_bytes_waiting() {
    if (buffer_.size() > 0) return true;
    beast::error_code ec;
    return socket_.available(ec) > 0 && !ec;
}

// Feeds what the buffer holds to the parser. True when the response is complete (or `ec` is
// set); false when it needs more input.
bool http_user::parse_buffered(response_reader& reader, beast::error_code& ec) {
    while (buffer_.size() > 0) {
        const auto used = reader.put(buffer_.data(), ec);
        buffer_.consume(used);
        if (ec == http::error::need_more) {
            ec = {};
            return false;
        }
        if (ec || reader.is_done()) return true;
        if (used == 0) return false;
    }
    return reader.is_done();
}

// The server closed the connection: before any byte of the response, it had dropped an idle
// keep-alive connection (retried on a new one); inside a body delimited by the close, the
// response is complete; anywhere else, it is cut short.
void http_user::end_of_input(response_reader& reader, beast::error_code& ec) {
    if (!reader.got_some()) {
        ec = http::error::end_of_stream;
        return;
    }
    ec = {};
    reader.put_eof(ec);
    if (!ec && !reader.is_done()) ec = http::error::partial_message;
}

// Runs the step's JSON-RPC, check and extraction rules on a response. Every check is
// tallied; the request fails on the first hard reason, which is the one recorded.
bool http_user::inspect(const prepared_step& step, unsigned status, micros latency, bool status_ok) {
    const auto& spec = *step.spec;
    lang::response_view view;
    view.status = status;
    view.latency = latency;
    if (step.keeps_response) {  // else its checks read only the status and the latency
        view.body = inspected_->body;
        view.header = [headers = &inspected_->headers](std::string_view name) {
            return response_reader::find(*headers, name);
        };
    }
    lang::response_inspector inspector(view);
    bool failed = !status_ok;
    if (spec.request.jsonrpc && !failed) {
        if (auto why = inspector.jsonrpc_failure()) {
            fail(spec.endpoint_id, error_kind::jsonrpc, 0, *why);
            failed = true;
        }
    }
    for (const auto& check : spec.checks) {
        std::string rendered;  // only a templated expected value is rendered; a constant one is read in place
        if (!check.expected.text.constant()) lang::render_template(check.expected.text, *this, rendered);
        const auto why =
            inspector.check(check, check.expected.text.constant() ? std::string_view(check.expected.text.text()) : rendered);
        auto& tally = thread_.shard.checks[check.id];
        if (why.empty()) {
            ++tally.passed;
            continue;
        }
        ++tally.failed;
        if (check.soft || failed) continue;
        fail(spec.endpoint_id, error_kind::check, static_cast<int>(check.id), "check failed: " + check.description + ": " + why);
        failed = true;
    }
    for (const auto& e : spec.extracts) {
        std::string why;
        auto value = inspector.extract(e, why);
        state_->variables[e.slot] = std::move(value);
        if (state_->variables[e.slot] || failed) continue;
        fail(spec.endpoint_id, error_kind::extract, static_cast<int>(e.slot), "extract " + e.variable + ": " + why);
        failed = true;
    }
    return !failed;
}

void http_user::forget_extracted(const lang::step_spec& step) {
    for (const auto& e : step.extracts) state_->variables[e.slot].reset();
}

asio::awaitable<void> http_user::execute(const prepared_step& step) {
    const auto& spec = *step.spec;
    if (state_ && !has_needed_variables(spec)) {  // an extraction it depends on failed or has not run
        ++thread_.shard.skipped[spec.endpoint_id];
        co_return;
    }
    std::string rendered;
    if (!step.constant) render_request(step, rendered);
    const std::string_view wire = step.constant ? std::string_view(step.wire) : std::string_view(rendered);
    if (step.keeps_response && !inspected_) inspected_ = std::make_unique<inspected_response>();
    std::optional<response_reader> reader;
    const auto start = steady::now();
    last_status_ = 0;
    const outcome result =
        co_await exchange(step, wire, step.head, reader, step.keeps_response);
    in_flight_ = false;
    if (result == outcome::cancelled) {
        ++thread_.shard.cancelled;
        co_return;
    }
    const auto elapsed = std::chrono::duration_cast<micros>(steady::now() - start);
    bool failed = result == outcome::failed;
    std::size_t body_bytes = 0;
    if (!failed) {
        body_bytes = reader->body_bytes();
        const bool status_ok = check_status(spec.request, last_status_);
        if (!status_ok) {
            std::string expected = spec.request.expect_status.empty() ? "a status below 400" : "";
            for (int s : spec.request.expect_status) expected += (expected.empty() ? "" : " or ") + std::to_string(s);
            fail(spec.endpoint_id, error_kind::http_status, static_cast<int>(last_status_),
                 "HTTP " + std::to_string(last_status_) + " (expected " + expected + ")");
        }
        failed = step.inspects ? !inspect(step, last_status_, elapsed, status_ok) : !status_ok;
    } else if (state_) {
        forget_extracted(spec);
    }
    thread_.shard.endpoints[spec.endpoint_id].record(static_cast<std::uint64_t>(elapsed.count()), body_bytes, failed);
}

asio::awaitable<void> http_user::run_steps(const std::vector<prepared_step>& steps) {
    for (const auto& step : steps) {
        co_await execute(step);
        if (step.spec->think) co_await pause(*step.spec->think);
        if (retiring() && thread_.cutting_off) co_return;
    }
}

// Think time; with pacing, what remains of the interval since the iteration started.
asio::awaitable<void> http_user::pause(const lang::wait_time& wait, micros since_start) {
    if (wait.type == lang::wait_time::kind::none) co_return;
    auto length = wait.low;
    if (wait.type == lang::wait_time::kind::pacing) {
        if (since_start >= wait.low) co_return;
        length = wait.low - since_start;
    } else if (wait.high > wait.low) {
        length += micros(static_cast<long long>(rng_.below(static_cast<std::uint64_t>((wait.high - wait.low).count()) + 1)));
    }
    beast::error_code ec;
    timer_.expires_after(length);
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> http_user::run() {
    if (state_) set_vars();
    if (!class_.on_start.empty() && !retiring()) {
        start_iteration();
        co_await run_steps(class_.on_start);
    }
    while (!retiring()) {
        const auto started = steady::now();
        start_iteration();
        const auto& task = pick_task();
        for (const auto& step : task.steps) {
            co_await execute(step);
            if (retiring()) break;  // a stop ends a sequence between steps
            if (step.spec->think) co_await pause(*step.spec->think);
        }
        if (retiring()) break;
        co_await pause(class_.spec->wait, std::chrono::duration_cast<micros>(steady::now() - started));
    }
    if (!class_.on_stop.empty() && !thread_.cutting_off) {
        start_iteration();
        co_await run_steps(class_.on_stop);
    }
}

}  // namespace

void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed) {
    auto user = std::make_unique<http_user>(thread, std::move(scenario), class_index, seed);
    thread.users.push_back(*user);
    thread.alive.fetch_add(1, std::memory_order_release);
    auto main = [](io_thread& t, std::unique_ptr<http_user> u) -> asio::awaitable<void> {
        try {
            co_await u->run();
        } catch (const std::exception& ex) {  // a broken invariant, not a request failure
            spdlog::error("a user ended on an unexpected error: {}", ex.what());
        }
        u.reset();  // unlinks itself from the thread's user list
        t.alive.fetch_sub(1, std::memory_order_release);
    };
    asio::co_spawn(thread.io, main(thread, std::move(user)), asio::detached);
}

}  // namespace stampede::worker
