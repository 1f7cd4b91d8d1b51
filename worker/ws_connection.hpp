#pragma once
// A user's WebSocket connection to one host, kept across steps and tasks: `ws: connect` opens
// it (TCP, TLS for a wss:// or https:// host, then the upgrade), send and receive steps use
// it, `ws: close` or a failure ends it. Each step is timed and counted as an endpoint of its
// own; a streamed reply (`receive_until`) also records its time to the first message. With
// ws_connection.cpp the only Beast WebSocket translation unit of the engine.
#include <memory>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>

#include "scenario/response_checks.hpp"
#include "scenario/template.hpp"
#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/user_runtime.hpp"

namespace stampede::worker {

class ws_connection {
public:
    virtual ~ws_connection() = default;
    // Carries out a WebSocket step on this connection (to `to`).
    virtual boost::asio::awaitable<exchange_result> perform(const prepared_step& step, const target& to,
                                                            lang::template_context& context) = 0;
    // The last message received, as the body checks and extractions read.
    virtual void describe(lang::response_view& view) const = 0;
    // Cuts the connection now: a step in flight ends.
    virtual void close() = 0;
};

// A connection, not yet open, to a host plain or TLS as `to` says.
std::unique_ptr<ws_connection> make_ws_connection(io_thread& thread, const target& to);

}  // namespace stampede::worker
