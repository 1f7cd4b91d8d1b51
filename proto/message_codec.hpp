#pragma once
// The protocol's messages between their plain structs (proto/messages.hpp) and protobuf: the
// one place that knows both. The transports (coordinator_server, master_connection) call it;
// tests and fuzz targets use it to speak to a master as a worker would.
#include "proto/messages.hpp"

namespace stampede::v1 {
class WorkerMessage;
class MasterMessage;
}  // namespace stampede::v1

namespace stampede::wire {

// What a worker sends (an outgoing snapshot is encoded from its delta on the way).
using worker_outgoing = std::variant<hello, heartbeat, outgoing_snapshot, state_change, goodbye>;

void encode(const worker_outgoing& message, v1::WorkerMessage& out);
// Refers into `in` (a snapshot is read in place): use it while `in` lives.
worker_message decode(const v1::WorkerMessage& in);

void encode(const master_message& message, v1::MasterMessage& out);
master_message decode(const v1::MasterMessage& in);

}  // namespace stampede::wire
