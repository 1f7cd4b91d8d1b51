#pragma once
// What a user holds per host it sends to, behind one interface whatever the protocol: a
// keep-alive HTTP connection (plain or TLS: http_exchange) and, for WebSocket steps, a
// WebSocket (ws_connection). A user whose steps go to several hosts keeps one of each it uses.
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>

#include "worker/prepared_scenario.hpp"
#include "worker/exchange.hpp"

namespace stampede::worker {

class host_connection {
public:
    virtual ~host_connection() = default;
    // Carries out the step on this connection to `to`: an HTTP request and its final
    // response (connecting first when needed; a request on a reused connection the server had
    // closed is retried once), or a WebSocket step. A step that keeps its response leaves its
    // body and headers (or the WebSocket message) in `user.kept()`.
    virtual boost::asio::awaitable<exchange_result> perform(const prepared_step& step, const resolved_host& to,
                                                            exchange_context& user) = 0;
    // Closes the connection now: a request in flight ends.
    virtual void close() = 0;
};

}  // namespace stampede::worker
