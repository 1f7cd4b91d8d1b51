#pragma once
// The demo target's behaviour, free of networking: a request in, a response out. Imitates
// the services Stampede's users test (agent state, workflows, JSON-RPC solve, training jobs,
// health) with configurable latency and error rates, and counts what it served.
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "demo_target/chat_completions.hpp"
#include "demo_target/demo_route.hpp"
#include "demo_target/demo_stream.hpp"
#include "demo_target/event_bus.hpp"
#include "demo_target/memory_leak.hpp"
#include "demo_target/service_metrics.hpp"
#include "demo_target/ws_chat.hpp"

namespace stampede::demo {


// Fixed latency, or log-normal with a median and a shape (sigma of the underlying normal).
struct latency_spec {
    std::chrono::microseconds median{0};
    double sigma = 0.0;  // 0: fixed
};
common::result<latency_spec> parse_latency(std::string_view text);

struct demo_request {
    std::string_view method;
    std::string_view target;
    std::string_view body;
    std::string_view api_key;  // X-API-Key, or the token of "Authorization: Bearer ..."
    std::size_t listener = 0;  // which of the server's ports it came in on
};

struct demo_response {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::chrono::microseconds delay{0};  // answer after this long (never blocks a thread)
    bool solving = false;  // a modular.solve execution, active until its answer is written
    std::vector<stream_piece> pieces;  // a stream: written after the head, each after its wait
    bool cut = false;                  // ... and the connection closed before its end
};

// A route that stalls: for `length` out of every `every`, its requests are held until the
// stall ends (a pause in the service: a garbage collection, a lock, a failover).
struct stall_spec {
    std::chrono::microseconds every{0};  // 0: never
    std::chrono::microseconds length{0};
};
common::result<stall_spec> parse_stall(std::string_view text);  // "EVERY:LENGTH", such as 3s:1s

struct demo_config {
    std::string api_key;  // empty: no check
    std::array<latency_spec, route_count> latency{};
    std::array<double, route_count> error_rate{};
    std::array<stall_spec, route_count> stall{};
    std::uint64_t seed = 1;
    // A capacity: with more than this many requests in flight, each request that arrives
    // waits `overload_latency` more (0: no limit). What a load's breaking point is found against.
    int capacity = 0;
    std::chrono::microseconds overload_latency{std::chrono::milliseconds(200)};
    // The WebSocket chat: the wait before an echo or a streamed reply, and between streamed messages.
    std::chrono::microseconds ws_delay{0};
    std::chrono::microseconds ws_stream_interval{0};
    // GET /metrics: the share of the simulated cache's lookups that hit.
    double cache_hit_ratio = 0.8;
    // POST /v1/chat/completions: how long to the first token and between tokens, how many.
    completion_config completions;
    // A leak on purpose: bytes a second kept and never freed (0: none), up to a limit.
    std::uint64_t leak_per_second = 0;
    std::uint64_t leak_limit = std::uint64_t{1} << 30;
};

class demo_service {
public:
    explicit demo_service(demo_config config);
    // Every handle() is matched by one finished() with its answer, once that is written: the
    // requests in flight between them count against the capacity, and the solves among them are
    // the active executions /metrics reports.
    demo_response handle(const demo_request& request);
    void finished(const demo_response& answered) {
        in_flight_.fetch_sub(1, std::memory_order_relaxed);
        if (answered.solving) active_solves_.fetch_sub(1, std::memory_order_relaxed);
    }
    std::uint64_t served() const;
    // A piece of a streamed answer was written: what it carried is counted as sent.
    void streamed(const stream_piece& piece) { completions_.written(piece); }
    ws_chat& chat() { return chat_; }
    // The ports the server listens on, before it serves: each counts what it served apart
    // (`listeners` in /__stats), as a fleet of services on many ports would.
    void set_listeners(const std::vector<std::uint16_t>& ports);
    // A TLS client that did not complete its handshake (refused, or gave up).
    void tls_handshake_failed() { tls_handshake_failures_.fetch_add(1, std::memory_order_relaxed); }
    // A TLS handshake done: a new session, or one resumed from a client's earlier connection.
    void tls_handshake_done(bool resumed) {
        (resumed ? tls_resumed_ : tls_handshakes_).fetch_add(1, std::memory_order_relaxed);
    }

private:
    demo_response answer(const demo_request& request, std::string_view path, int in_flight);
    std::chrono::microseconds overload_wait(int in_flight);
    demo_response dispatch(route r, const demo_request& request, std::string_view path);
    demo_response agent(const demo_request& request, std::string_view path);
    demo_response solve(const demo_request& request);
    demo_response training(const demo_request& request, std::string_view path);
    demo_response events(const demo_request& request, std::string_view path);
    demo_response chat(const demo_request& request);
    demo_response completion(const demo_request& request);
    demo_response stats() const;
    demo_response metrics() const;
    std::chrono::microseconds draw_latency(route r);
    std::chrono::microseconds stall_left(route r) const;  // how long until the route's stall ends
    bool draw_error(route r);

    demo_config config_;
    std::array<std::atomic<std::uint64_t>, route_count> served_{};
    std::atomic<std::uint64_t> unauthorized_{0};
    std::atomic<std::uint64_t> tls_handshake_failures_{0}, tls_handshakes_{0}, tls_resumed_{0};
    std::vector<std::uint16_t> listener_ports_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> listener_served_;  // by listener, sized once
    std::atomic<int> in_flight_{0};
    std::atomic<int> active_solves_{0};  // modular.solve requests between handle() and finished()
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();  // stalls count from here
    std::atomic<std::uint64_t> overloaded_{0};  // answered late for the capacity
    mutable std::mutex mutex_;  // guards the state below and the generator; off the /ok fast path
    std::map<std::string, std::pair<std::string, std::uint64_t>> agent_state_;  // body, version
    std::map<std::string, std::string> jobs_;                                   // id -> status
    std::uint64_t next_workflow_ = 0, next_job_ = 0, job_lookups_ = 0, unknown_job_lookups_ = 0;
    std::map<std::string, std::uint64_t> solves_by_complexity_;  // params.complexity, when given
    std::mt19937_64 random_;
    event_bus bus_;
    ws_chat chat_;
    chat_completions completions_;
    std::atomic<std::uint64_t> chat_turns_{0};
    service_metrics metrics_;
    std::unique_ptr<memory_leak> leak_;  // with --leak only
};

}  // namespace stampede::demo
