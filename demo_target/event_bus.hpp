#pragma once
// The demo target's event bus, as an agent fleet's: producers publish events to topics,
// consumers query a topic's oldest unacknowledged events and acknowledge each once. Bounded:
// past max_pending unacknowledged events in all, a publish is refused (429), so a load test
// that never acknowledges cannot grow the target without end.
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace stampede::demo {

struct bus_answer {
    int status = 200;
    std::string body;  // JSON
};

class event_bus {
public:
    static constexpr std::size_t max_pending = 100'000;
    static constexpr std::size_t max_query = 100;

    // POST /api/v1/events {"topic": T, "payload": ...}: 201 {"event_id", "topic", "sequence"}.
    bus_answer publish(std::string_view body);
    // GET /api/v1/events?topic=T[&limit=N]: the topic's oldest unacknowledged events.
    bus_answer query(std::string_view query_string);
    // POST /api/v1/events/{id}/ack: 200 once, 409 again, 404 for an id never issued.
    bus_answer acknowledge(std::string_view id);
    // {"published", "acknowledged", "pending", "queries", "refused", "unknown_acks", "repeated_acks"}
    std::string stats_json() const;

private:
    struct event {
        std::string topic;
        std::string payload;  // JSON text
        bool acknowledged = false;
    };

    mutable std::mutex mutex_;
    std::unordered_map<std::string, event> events_;             // by id; acknowledged ones dropped
    std::map<std::string, std::deque<std::string>> by_topic_;   // unacknowledged ids, oldest first
    std::uint64_t published_ = 0, acknowledged_ = 0, queries_ = 0, refused_ = 0, unknown_acks_ = 0, repeated_acks_ = 0;
};

}  // namespace stampede::demo
