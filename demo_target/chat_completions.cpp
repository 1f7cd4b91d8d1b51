#include "demo_target/chat_completions.hpp"

#include <cmath>
#include <sstream>

namespace stampede::demo {

using nlohmann::json;

namespace {

// Words in the prompt's messages: the demo's stand-in for prompt tokens.
int prompt_tokens_of(const json& request) {
    int words = 0;
    for (const auto& m : request.value("messages", json::array())) {
        if (!m.is_object() || !m.contains("content") || !m["content"].is_string()) continue;
        std::istringstream in(m["content"].get<std::string>());
        for (std::string w; in >> w;) ++words;
    }
    return words;
}

std::string event(const json& chunk) { return "data: " + chunk.dump() + "\n\n"; }

json chunk_of(const std::string& id, const std::string& model, const json& delta, const json& finish) {
    return {{"id", id}, {"object", "chat.completion.chunk"}, {"model", model},
            {"choices", json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}})}};
}

json usage_of(int prompt, int completion) {
    return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion}};
}

}  // namespace

std::chrono::microseconds chat_completions::draw(std::chrono::microseconds around) {
    if (config_.jitter <= 0 || around.count() <= 0) return around;
    std::lock_guard lock(mutex_);
    std::lognormal_distribution<double> d(std::log(static_cast<double>(around.count())), config_.jitter);
    return std::chrono::microseconds(static_cast<long long>(d(random_)));
}

demo_stream chat_completions::answer(std::string_view body) {
    requests_.fetch_add(1, std::memory_order_relaxed);
    const auto request = json::parse(body, nullptr, false);
    if (!request.is_object() || !request.contains("messages") || !request["messages"].is_array()) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return {400, json{{"error", {{"message", "a chat completion takes a JSON object with 'messages'"}}}}.dump()};
    }
    const int prompt = prompt_tokens_of(request);
    prompt_tokens_.fetch_add(static_cast<std::uint64_t>(prompt), std::memory_order_relaxed);
    int tokens = config_.output_tokens;
    if (request.contains("max_tokens") && request["max_tokens"].is_number_integer())
        tokens = std::max(0, std::min(tokens, request["max_tokens"].get<int>()));
    const auto model = request.value("model", std::string("demo"));
    const std::string id = "chatcmpl-" + std::to_string(requests_.load(std::memory_order_relaxed));
    if (!request.value("stream", false)) {
        std::string text;
        for (int t = 0; t < tokens; ++t) text += "tok" + std::to_string(t) + " ";
        tokens_sent_.fetch_add(static_cast<std::uint64_t>(tokens), std::memory_order_relaxed);
        json answer = {{"id", id}, {"object", "chat.completion"}, {"model", model},
                       {"choices", json::array({{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}},
                                                 {"finish_reason", "stop"}}})},
                       {"usage", usage_of(prompt, tokens)}};
        demo_stream out{200, answer.dump()};
        out.delay = draw(config_.ttft) + draw(config_.token_delay) * std::max(0, tokens - 1);
        return out;
    }
    streams_.fetch_add(1, std::memory_order_relaxed);
    demo_stream out;
    {
        std::lock_guard lock(mutex_);
        out.cut = config_.cut_rate > 0 && std::uniform_real_distribution<double>(0, 1)(random_) < config_.cut_rate;
    }
    if (out.cut) cut_.fetch_add(1, std::memory_order_relaxed);
    const int written = out.cut ? tokens / 2 : tokens;
    for (int t = 0; t < written; ++t) {
        json delta = {{"content", "tok" + std::to_string(t) + " "}};
        if (t == 0) delta["role"] = "assistant";
        out.pieces.push_back({draw(t == 0 ? config_.ttft : config_.token_delay), event(chunk_of(id, model, delta, nullptr)), 1, 1});
    }
    if (out.cut) return out;
    std::string tail = event(chunk_of(id, model, json::object(), "stop"));
    int events = 1;
    if (request.contains("stream_options") && request["stream_options"].value("include_usage", false)) {
        tail += event({{"id", id}, {"object", "chat.completion.chunk"}, {"model", model}, {"choices", json::array()},
                       {"usage", usage_of(prompt, tokens)}});
        ++events;
    }
    out.pieces.push_back({tokens == 0 ? draw(config_.ttft) : std::chrono::microseconds(0), tail + "data: [DONE]\n\n", events + 1, 0});
    return out;
}

void chat_completions::written(const stream_piece& piece) {
    events_sent_.fetch_add(static_cast<std::uint64_t>(piece.events), std::memory_order_relaxed);
    tokens_sent_.fetch_add(static_cast<std::uint64_t>(piece.tokens), std::memory_order_relaxed);
}

json chat_completions::stats() const {
    const auto get = [](const std::atomic<std::uint64_t>& v) { return v.load(std::memory_order_relaxed); };
    return {{"requests", get(requests_)}, {"streams", get(streams_)},  {"cut", get(cut_)},
            {"refused", get(refused_)},   {"events", get(events_sent_)}, {"tokens", get(tokens_sent_)},
            {"prompt_tokens", get(prompt_tokens_)}};
}

}  // namespace stampede::demo
