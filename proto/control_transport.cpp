#include "proto/control_transport.hpp"

#include "scenario/loader/scenario_loader.hpp"

#include <grpcpp/grpcpp.h>

#include <utility>

namespace stampede::wire {

using namespace common;

namespace {

constexpr int largest_message = static_cast<int>(max_control_message_bytes);

// Settings both ends apply alike.
// * Control messages are small and steady: a thousand workers each send a snapshot a second
//   and hear an acknowledgement back. Bandwidth probes (a ping per burst of data, answered by
//   the peer) would double the writes on both ends, so they are off; a fixed 1 MiB receive
//   window per stream instead lets a large snapshot or welcome through without waiting.
// * Liveness is the application's heartbeat (at least every 2.5 s, both ways); transport
//   pings only back it up for connections that carry nothing, so they can be rare.
constexpr std::pair<const char*, int> both_ends[] = {
    {GRPC_ARG_HTTP2_BDP_PROBE, 0},
    {GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024 * 1024},
    {GRPC_ARG_KEEPALIVE_TIME_MS, 10000},
    {GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000},
    {GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1},
};

// The scenario and its data files travel in one welcome, with room to spare for the rest.
static_assert(lang::max_scenario_bundle_bytes + (4u << 20) <= max_control_message_bytes);

}  // namespace

void configure_worker_channel(grpc::ChannelArguments& args) {
    for (const auto& [key, value] : both_ends) args.SetInt(key, value);
    args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    args.SetMaxReceiveMessageSize(largest_message);
}

void configure_master_server(grpc::ServerBuilder& builder) {
    for (const auto& [key, value] : both_ends) builder.AddChannelArgument(key, value);
    // Accept the workers' keepalive pings on idle connections without counting strikes.
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 500);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
    builder.SetMaxReceiveMessageSize(largest_message);
    // gRPC would share a port with another process (SO_REUSEPORT): a second master on the
    // same port would split the workers between two runs. Refuse it instead.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

}  // namespace stampede::wire
