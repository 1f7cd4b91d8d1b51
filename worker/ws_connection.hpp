#pragma once
// A user's WebSocket connection to one host, kept across steps and tasks: `ws: connect` opens
// it (TCP, TLS for a wss:// or https:// host, then the upgrade), send and receive steps use
// it, `ws: close` or a failure ends it. Each step is timed and counted as an endpoint of its
// own; a streamed reply (`receive_until`) also records its time to the first message. With
// ws_connection.cpp the only Beast WebSocket translation unit of the engine; its connection
// is a host_connection like an HTTP one, so a user holds both kinds alike.
#include <memory>

#include "worker/host_connection.hpp"
#include "worker/io_thread.hpp"

namespace stampede::worker {

// A connection, not yet open, to a host plain or TLS as `to` says.
std::unique_ptr<host_connection> make_ws_connection(io_thread& thread, const resolved_host& to);

}  // namespace stampede::worker
