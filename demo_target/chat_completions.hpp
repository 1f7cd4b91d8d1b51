#pragma once
// The demo target's OpenAI-compatible `POST /v1/chat/completions`, as the LLM-backed services
// Stampede's users test answer it: a JSON answer, or with `"stream": true` Server-Sent Events, a
// chunk per token (`choices[0].delta.content`), the first after the time to first token and each
// next after the per-token delay, the finish, the usage when `stream_options.include_usage`
// asks for it, and `data: [DONE]`. How long and how much are set by flags (fixed, or drawn);
// a share of streams can be cut mid-answer. What it sent is counted for /__stats, so a test can
// hold a load generator's counts against it exactly.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "demo_target/demo_stream.hpp"

namespace stampede::demo {

struct completion_config {
    std::chrono::microseconds ttft{std::chrono::milliseconds(20)};        // to the first token
    std::chrono::microseconds token_delay{std::chrono::milliseconds(1)};  // between tokens
    double jitter = 0;     // each delay drawn log-normally about its value with this sigma (0: fixed)
    int output_tokens = 16;  // an answer's tokens, unless the request's max_tokens is fewer
    double cut_rate = 0;     // the share of streams ended mid-answer, the connection closed
};

class chat_completions {
public:
    explicit chat_completions(completion_config config, std::uint64_t seed) : config_(config), random_(seed) {}

    // The answer to a request's body: a whole JSON answer, or a stream to write piece by piece.
    demo_stream answer(std::string_view body);
    // A piece of a stream was written: what it carried is counted as sent.
    void written(const stream_piece& piece);
    nlohmann::json stats() const;

private:
    std::chrono::microseconds draw(std::chrono::microseconds around);

    completion_config config_;
    std::mutex mutex_;  // the generator
    std::mt19937_64 random_;
    std::atomic<std::uint64_t> requests_{0}, streams_{0}, cut_{0}, refused_{0};
    std::atomic<std::uint64_t> events_sent_{0}, tokens_sent_{0}, prompt_tokens_{0};
};

}  // namespace stampede::demo
