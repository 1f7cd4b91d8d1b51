#include "demo_target/event_bus.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace stampede::demo {

using nlohmann::json;

namespace {

bus_answer answer(int status, const json& body) { return {status, body.dump(-1, ' ', false, json::error_handler_t::replace)}; }

// The value of `key` in "a=1&b=2" (not percent-decoded: topics are plain names here).
std::string_view parameter(std::string_view query, std::string_view key) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (pair.size() > key.size() && pair.substr(0, key.size()) == key && pair[key.size()] == '=')
            return pair.substr(key.size() + 1);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

}  // namespace

bus_answer event_bus::publish(std::string_view body) {
    const json request = json::parse(body, nullptr, false);
    if (!request.is_object() || !request.contains("topic") || !request["topic"].is_string() ||
        request["topic"].get<std::string>().empty())
        return answer(400, {{"error", "a JSON object with a non-empty \"topic\" is required"}});
    const auto topic = request["topic"].get<std::string>();
    std::lock_guard lock(mutex_);
    if (events_.size() >= max_pending) {
        ++refused_;
        return answer(429, {{"error", "too many unacknowledged events"}, {"pending", events_.size()}});
    }
    const auto sequence = ++published_;
    const auto id = "ev-" + std::to_string(sequence);
    events_[id] = {topic, request.value("payload", json(nullptr)).dump(), false};
    by_topic_[topic].push_back(id);
    return answer(201, {{"event_id", id}, {"topic", topic}, {"sequence", sequence}});
}

bus_answer event_bus::query(std::string_view query_string) {
    const auto topic = std::string(parameter(query_string, "topic"));
    if (topic.empty()) return answer(400, {{"error", "give ?topic=NAME"}});
    std::size_t limit = 10;
    if (const auto text = parameter(query_string, "limit"); !text.empty()) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
        if (ec != std::errc() || end != text.data() + text.size() || limit == 0 || limit > max_query)
            return answer(400, {{"error", "limit must be 1 to " + std::to_string(max_query)}});
    }
    std::lock_guard lock(mutex_);
    ++queries_;
    json list = json::array();
    const auto it = by_topic_.find(topic);
    const std::size_t pending = it == by_topic_.end() ? 0 : it->second.size();
    for (std::size_t i = 0; i < pending && list.size() < limit; ++i) {
        const auto& id = it->second[i];
        list.push_back({{"event_id", id}, {"payload", json::parse(events_.at(id).payload, nullptr, false)}});
    }
    return answer(200, {{"topic", topic}, {"events", list}, {"pending", pending}});
}

bus_answer event_bus::acknowledge(std::string_view id) {
    std::lock_guard lock(mutex_);
    const auto it = events_.find(std::string(id));
    if (it == events_.end()) {
        // Acknowledged ones are dropped: an id the bus issued is a repeat, any other unknown.
        const auto number = id.substr(std::min<std::size_t>(3, id.size()));
        std::uint64_t sequence = 0;
        const bool issued = id.substr(0, 3) == "ev-" &&
                            std::from_chars(number.data(), number.data() + number.size(), sequence).ec == std::errc() &&
                            sequence >= 1 && sequence <= published_;
        ++(issued ? repeated_acks_ : unknown_acks_);
        return answer(issued ? 409 : 404, {{"event_id", std::string(id)},
                                           {"error", issued ? "already acknowledged" : "unknown event"}});
    }
    auto& queue = by_topic_[it->second.topic];
    queue.erase(std::find(queue.begin(), queue.end(), it->first));
    events_.erase(it);
    ++acknowledged_;
    return answer(200, {{"event_id", std::string(id)}, {"acknowledged", true}});
}

std::string event_bus::stats_json() const {
    std::lock_guard lock(mutex_);
    return json{{"published", published_},      {"acknowledged", acknowledged_}, {"pending", events_.size()},
                {"queries", queries_},          {"refused", refused_},           {"unknown_acks", unknown_acks_},
                {"repeated_acks", repeated_acks_}}
        .dump();
}

}  // namespace stampede::demo
