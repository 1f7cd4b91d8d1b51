#pragma once
// What every protocol's exchange gives the user runtime back for one step, and how it counts a
// failure on the way. The seam between what a user does (user_runtime) and how a protocol
// carries a step (host_connection's implementations: http_exchange, ws_connection).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scenario/template.hpp"
#include "stats/stats_delta.hpp"
#include "worker/io_thread.hpp"
#include "worker/kept_response.hpp"

namespace stampede::worker {

enum class exchange_outcome : std::uint8_t { ok, failed, cancelled };

// What an exchange gives back for one step. A failure on the way (connect, timeout, the
// server breaking the protocol) is already counted by the exchange, with its reason.
// 16 bytes, as small as it was before WebSocket steps added `messages`: it lives in the
// coroutine frames of every request, whose sizes decide whether Asio's per-thread cache of
// frames serves them or malloc must (measured: 4 % more instructions per request at 24).
struct exchange_result {
    exchange_outcome outcome = exchange_outcome::failed;
    std::uint16_t status = 0;  // the response's, when ok
    std::uint32_t messages = 0;  // WebSocket messages the step sent or received
    std::size_t body_bytes = 0;
};
static_assert(sizeof(exchange_result) == 16);

// What an exchange asks of the user whose step it carries: the values its templates render,
// and, for a step that keeps its response (prepared_step::keeps_response), where to put it.
class exchange_context : public lang::template_context {
public:
    virtual kept_response& kept() = 0;

protected:
    ~exchange_context() = default;
};

// Counts one failed request of `endpoint` in the thread's shard; the message is kept for the
// first of its row in the interval.
void count_failure(io_thread& thread, std::uint32_t endpoint, stats::error_kind kind, int code,
                   std::string_view detail);

}  // namespace stampede::worker
