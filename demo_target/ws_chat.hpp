#pragma once
// The demo target's WebSocket chat (`/ws/chat`), free of networking: what a message asks for,
// and the counts a test compares with what a load generator counted. A text message is
// echoed after the chat's delay; a JSON message may ask for a streamed reply of N messages
// (the last with "done": true), or join a room and broadcast to everyone in it.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::demo {

struct ws_reply {
    enum class kind { echo, stream, broadcast, join };
    kind what = kind::echo;
    std::vector<std::string> messages;  // echo: one; stream: N, in order; broadcast: one
    std::chrono::microseconds delay{0};       // before the first message
    std::chrono::microseconds interval{0};    // between streamed messages
    std::string room;                         // broadcast, join
};

class ws_chat {
public:
    static constexpr std::uint64_t max_stream = 10'000;  // messages one request may ask for

    ws_chat(std::chrono::microseconds echo_delay, std::chrono::microseconds stream_interval)
        : echo_delay_(echo_delay), stream_interval_(stream_interval) {}

    // What to answer `message` with; counts it as received.
    ws_reply answer(std::string_view message);

    void opened() { opened_.fetch_add(1, std::memory_order_relaxed); open_.fetch_add(1, std::memory_order_relaxed); }
    void closed() { open_.fetch_sub(1, std::memory_order_relaxed); }
    void sent(std::uint64_t n = 1) { sent_.fetch_add(n, std::memory_order_relaxed); }
    void refused() { refused_.fetch_add(1, std::memory_order_relaxed); }
    // {"connections", "open", "received", "sent", "refused"}
    std::string stats_json() const;

private:
    std::chrono::microseconds echo_delay_, stream_interval_;
    std::atomic<std::uint64_t> opened_{0}, received_{0}, sent_{0}, refused_{0};
    std::atomic<std::int64_t> open_{0};
};

}  // namespace stampede::demo
