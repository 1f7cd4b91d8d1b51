#include "common/control_transport.hpp"

#include <grpcpp/grpcpp.h>

namespace stampede::common {

namespace {

constexpr int largest_message = 64 * 1024 * 1024;  // a welcome with its data files

// Control messages are small and steady: a thousand workers each send a snapshot a second and
// hear an acknowledgement back. Bandwidth probes (a ping per burst of data, answered by the
// peer) would double the writes on both ends, so they are off; a fixed 1 MiB receive window
// per stream instead lets a large snapshot or welcome through without waiting for updates.
constexpr int stream_window = 1024 * 1024;

// Liveness is the application's heartbeat (at least every 2 s, both ways); transport pings
// only back it up for connections that carry nothing, so they can be rare.
constexpr int keepalive_ms = 10000;
constexpr int keepalive_timeout_ms = 5000;

}  // namespace

void configure_worker_channel(grpc::ChannelArguments& args) {
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, keepalive_timeout_ms);
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, stream_window);
    args.SetMaxReceiveMessageSize(largest_message);
}

void configure_master_server(grpc::ServerBuilder& builder) {
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, keepalive_timeout_ms);
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 500);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, stream_window);
    builder.SetMaxReceiveMessageSize(largest_message);
    // gRPC would share a port with another process (SO_REUSEPORT): a second master on the
    // same port would split the workers between two runs. Refuse it instead.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

}  // namespace stampede::common
