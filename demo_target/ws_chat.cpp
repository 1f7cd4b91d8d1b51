#include "demo_target/ws_chat.hpp"

#include <nlohmann/json.hpp>

namespace stampede::demo {

using nlohmann::json;

ws_reply ws_chat::answer(std::string_view message) {
    received_.fetch_add(1, std::memory_order_relaxed);
    const json request = json::parse(message, nullptr, false);
    ws_reply reply;
    if (request.is_object() && request.contains("stream") && request["stream"].is_number_unsigned()) {
        const auto n = std::min<std::uint64_t>(request["stream"].get<std::uint64_t>(), max_stream);
        const auto text = request.value("text", std::string());
        reply.what = ws_reply::kind::stream;
        reply.delay = echo_delay_;
        reply.interval = stream_interval_;
        for (std::uint64_t i = 1; i <= n; ++i)
            reply.messages.push_back(json{{"index", i}, {"of", n}, {"text", text}, {"done", i == n}}.dump());
        return reply;
    }
    if (request.is_object() && request.contains("room") && request["room"].is_string()) {
        reply.room = request["room"].get<std::string>().substr(0, 64);
        if (request.contains("broadcast")) {
            reply.what = ws_reply::kind::broadcast;
            reply.messages.push_back(json{{"room", reply.room}, {"text", request["broadcast"]}}.dump(
                -1, ' ', false, json::error_handler_t::replace));
        } else {
            reply.what = ws_reply::kind::join;
        }
        return reply;
    }
    reply.delay = echo_delay_;
    reply.messages.emplace_back(message);
    return reply;
}

std::string ws_chat::stats_json() const {
    return json{{"connections", opened_.load(std::memory_order_relaxed)},
                {"open", open_.load(std::memory_order_relaxed)},
                {"received", received_.load(std::memory_order_relaxed)},
                {"sent", sent_.load(std::memory_order_relaxed)},
                {"refused", refused_.load(std::memory_order_relaxed)}}
        .dump();
}

}  // namespace stampede::demo
