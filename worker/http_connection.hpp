#pragma once
// What an HTTP user holds per host it sends to: one keep-alive connection, plain or TLS,
// behind one interface, so a user whose steps go to several hosts keeps a connection to each.
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>

#include "scenario/response_checks.hpp"
#include "scenario/template.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/user_runtime.hpp"

namespace stampede::worker {

class http_connection {
public:
    virtual ~http_connection() = default;
    // Sends the step's request to `to` (connecting first when needed) and reads its final
    // response. A request on a reused connection that the server had closed is retried once.
    virtual boost::asio::awaitable<exchange_result> perform(const prepared_step& step, const target& to,
                                                            lang::template_context& context) = 0;
    // The body and headers of the last response, for a step that keeps them.
    virtual void describe(lang::response_view& view) const = 0;
    // Closes the connection now: a request in flight ends.
    virtual void close() = 0;
};

}  // namespace stampede::worker
