#pragma once

// The control channel's HTTP/2 settings, in one place so that the master, the workers and the
// benchmark's simulated workers speak with the same transport.

namespace grpc {
class ChannelArguments;
class ServerBuilder;
}  // namespace grpc

#include <cstddef>

namespace stampede::wire {

// The largest message either end takes: a welcome with its data files.
inline constexpr std::size_t max_control_message_bytes = 64u << 20;

void configure_worker_channel(grpc::ChannelArguments& args);
void configure_master_server(grpc::ServerBuilder& builder);

}  // namespace stampede::wire
