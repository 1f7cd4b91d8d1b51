// HTTP users as C++20 coroutines on Asio, with Beast for HTTP/1.1. Each user owns one
// keep-alive connection, its buffer, its timer and its RNG; it records into its thread's
// shard without locks. The hot loop allocates nothing but what the response body needs.
#include "worker/http_user.hpp"

#include <algorithm>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "worker/io_thread.hpp"
#include "worker/rng.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using common::error_kind;
using common::micros;
using steady = std::chrono::steady_clock;

struct prepared_task {
    http::request<http::string_body> request;
    std::uint32_t endpoint = 0;
    micros timeout{0};
    std::vector<int> expect_status;
};

struct prepared_class {
    std::vector<prepared_task> tasks;
    std::vector<std::uint64_t> cumulative_weight;  // for weighted choice by binary search
    common::wait_time wait;
};

struct prepared_scenario {
    std::vector<prepared_class> classes;
    tcp::resolver::results_type addresses;
    std::size_t max_body_bytes = 0;
};

namespace {

http::verb to_verb(const std::string& method) {
    const auto verb = http::string_to_verb(method);
    return verb == http::verb::unknown ? http::verb::get : verb;
}

void set_headers(http::request<http::string_body>& req, const common::header_list& headers) {
    for (const auto& [name, value] : headers) req.set(name, value);
}

prepared_task prepare_task(const common::scenario& sc, const common::user_class_spec& cls,
                           const common::task_spec& task) {
    const auto& spec = task.request;
    prepared_task out;
    out.endpoint = task.endpoint_id;
    out.timeout = spec.timeout.value_or(sc.default_timeout);
    out.expect_status = spec.expect_status;
    auto& req = out.request;
    req.method(to_verb(spec.method));
    req.target(sc.host->base_path + spec.path);
    req.version(11);
    const bool default_port = sc.host->port == "80";
    req.set(http::field::host, default_port ? sc.host->host : sc.host->host + ":" + sc.host->port);
    req.set(http::field::user_agent, "stampede/" STAMPEDE_VERSION);
    if (!spec.content_type.empty()) req.set(http::field::content_type, spec.content_type);
    set_headers(req, sc.headers);  // scenario, then class, then request: the nearest wins
    set_headers(req, cls.headers);
    set_headers(req, spec.headers);
    req.keep_alive(true);
    req.body() = spec.body;
    req.prepare_payload();
    return out;
}

}  // namespace

std::shared_ptr<const prepared_scenario> prepare_scenario(const common::scenario& sc,
                                                          std::size_t max_body_bytes,
                                                          std::string* error) {
    auto out = std::make_shared<prepared_scenario>();
    out->max_body_bytes = max_body_bytes;
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::error_code ec;
    out->addresses = resolver.resolve(sc.host->host, sc.host->port, ec);
    if (ec) {
        if (error) *error = "cannot resolve host '" + sc.host->host + "': " + ec.message();
        return nullptr;
    }
    for (const auto& cls : sc.user_classes) {
        prepared_class pc;
        pc.wait = cls.wait;
        std::uint64_t sum = 0;
        for (const auto& task : cls.tasks) {
            pc.tasks.push_back(prepare_task(sc, cls, task));
            pc.cumulative_weight.push_back(sum += static_cast<std::uint64_t>(task.weight));
        }
        out->classes.push_back(std::move(pc));
    }
    return out;
}

namespace {

enum class outcome { ok, failed, cancelled };

class http_user final : public user_handle {
public:
    http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
              std::uint64_t seed)
        : user_handle(class_index),
          thread_(thread),
          scenario_(std::move(scenario)),
          class_(scenario_->classes[class_index]),
          stream_(thread.io),
          timer_(thread.io),
          rng_(seed) {}

    asio::awaitable<void> run();
    void cut_off() override {
        beast::error_code ignored;
        stream_.socket().close(ignored);
        timer_.cancel();
    }

protected:
    void wake() override { timer_.cancel(); }

private:
    void close() {
        beast::error_code ignored;
        stream_.socket().close(ignored);
        connected_ = false;
    }
    const prepared_task& pick_task();
    asio::awaitable<void> execute(const prepared_task& task);
    asio::awaitable<outcome> exchange(const prepared_task& task, std::size_t& body_bytes);
    asio::awaitable<void> think();
    void fail(const prepared_task& task, error_kind kind, int code, const std::string& detail);
    bool check_status(const prepared_task& task, unsigned status);
    bool is_cancellation(const beast::error_code& ec) const {
        return thread_.cutting_off && (ec == asio::error::operation_aborted ||
                                       ec == asio::error::bad_descriptor);
    }

    io_thread& thread_;
    std::shared_ptr<const prepared_scenario> scenario_;
    const prepared_class& class_;
    beast::tcp_stream stream_;
    asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    rng rng_;
    bool connected_ = false;
    unsigned last_status_ = 0;
};

const prepared_task& http_user::pick_task() {
    const auto& weights = class_.cumulative_weight;
    if (weights.size() == 1) return class_.tasks.front();
    const auto roll = rng_.below(weights.back());
    const auto it = std::upper_bound(weights.begin(), weights.end(), roll);
    return class_.tasks[static_cast<std::size_t>(it - weights.begin())];
}

void http_user::fail(const prepared_task& task, error_kind kind, int code,
                     const std::string& detail) {
    auto& record = thread_.shard.errors[{task.endpoint, kind, code}];
    if (record.count++ == 0) record.message = detail;  // the message is built once per interval
}

bool http_user::check_status(const prepared_task& task, unsigned status) {
    const auto& expected = task.expect_status;
    if (expected.empty()) return status < 400;
    return std::find(expected.begin(), expected.end(), static_cast<int>(status)) != expected.end();
}

// One request/response on the user's connection, connecting first when needed. A request
// on a reused connection that the server had already closed is retried once on a new one.
asio::awaitable<outcome> http_user::exchange(const prepared_task& task, std::size_t& body_bytes) {
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    stream_.expires_after(task.timeout);
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = connected_;
        if (!connected_) {
            co_await stream_.async_connect(scenario_->addresses, token);
            if (is_cancellation(ec)) co_return outcome::cancelled;
            if (ec == beast::error::timeout) {
                fail(task, error_kind::timeout, 0, "connect timed out after " + common::format_duration(task.timeout));
                co_return outcome::failed;
            }
            if (ec) {
                fail(task, error_kind::connect, ec.value(), "connect: " + ec.message());
                co_return outcome::failed;
            }
            connected_ = true;
        }
        co_await http::async_write(stream_, task.request, token);
        http::response_parser<http::string_body> parser;
        parser.body_limit(scenario_->max_body_bytes);
        if (task.request.method() == http::verb::head) parser.skip(true);
        if (!ec) co_await http::async_read(stream_, buffer_, parser, token);
        if (!ec) {
            last_status_ = parser.get().result_int();
            body_bytes = parser.get().body().size();
            if (!parser.get().keep_alive()) close();
            co_return check_status(task, last_status_) ? outcome::ok : outcome::failed;
        }
        close();
        if (is_cancellation(ec)) co_return outcome::cancelled;
        const bool stale = ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                           ec == asio::error::broken_pipe || ec == asio::error::eof;
        if (reused && stale && attempt == 0 && !parser.got_some()) continue;
        if (ec == beast::error::timeout) {
            fail(task, error_kind::timeout, 0, "request timed out after " + common::format_duration(task.timeout));
        } else {
            fail(task, error_kind::transport, ec.value(), ec.message());
        }
        co_return outcome::failed;
    }
    co_return outcome::failed;
}

asio::awaitable<void> http_user::execute(const prepared_task& task) {
    const auto start = steady::now();
    std::size_t body_bytes = 0;
    last_status_ = 0;
    const outcome result = co_await exchange(task, body_bytes);
    if (result == outcome::cancelled) {
        ++thread_.shard.cancelled;
        co_return;
    }
    const auto elapsed = std::chrono::duration_cast<micros>(steady::now() - start).count();
    const bool failed = result == outcome::failed;
    if (failed && last_status_ != 0) {
        std::string expected = task.expect_status.empty() ? "a status below 400" : "";
        for (int s : task.expect_status) expected += (expected.empty() ? "" : " or ") + std::to_string(s);
        fail(task, error_kind::http_status, static_cast<int>(last_status_),
             "HTTP " + std::to_string(last_status_) + " (expected " + expected + ")");
    }
    thread_.shard.endpoints[task.endpoint].record(static_cast<std::uint64_t>(elapsed), body_bytes, failed);
}

asio::awaitable<void> http_user::think() {
    const auto& wait = class_.wait;
    if (wait.type == common::wait_time::kind::none) co_return;
    auto pause = wait.low;
    if (wait.high > wait.low)
        pause += micros(static_cast<long long>(rng_.below(static_cast<std::uint64_t>((wait.high - wait.low).count()) + 1)));
    beast::error_code ec;
    timer_.expires_after(pause);
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> http_user::run() {
    while (!retiring()) {
        co_await execute(pick_task());
        if (retiring()) break;
        co_await think();
    }
}

}  // namespace

void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed) {
    auto user = std::make_unique<http_user>(thread, std::move(scenario), class_index, seed);
    thread.users.push_back(*user);
    thread.alive.fetch_add(1, std::memory_order_relaxed);
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
