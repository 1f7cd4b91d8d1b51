#pragma once

// The control channel's HTTP/2 settings, in one place so that the master, the workers and the
// benchmark's simulated workers speak with the same transport.

namespace grpc {
class ChannelArguments;
class ServerBuilder;
}  // namespace grpc

namespace stampede::common {

void configure_worker_channel(grpc::ChannelArguments& args);
void configure_master_server(grpc::ServerBuilder& builder);

}  // namespace stampede::common
