#pragma once
// A channel to a master, as the worker side holds it: over TCP (reconnecting, TLS when asked)
// or inside the master's own process. Opaque above the wire: only master_connection and
// coordinator_server look inside.
#include <memory>
#include <string>

#include "common/result.hpp"

namespace grpc {
class Channel;
}

namespace stampede::wire {

class master_channel {
public:
    explicit master_channel(std::shared_ptr<grpc::Channel> channel) : channel_(std::move(channel)) {}
    grpc::Channel& grpc_channel() const { return *channel_; }
    const std::shared_ptr<grpc::Channel>& shared() const { return channel_; }

private:
    std::shared_ptr<grpc::Channel> channel_;
};

struct channel_security {
    std::string ca, cert, key;  // PEM paths; a CA turns TLS on
    std::string server_name;    // expected in the master's certificate, when not its address
};

// The channel to a master at `address` ("host:port"): reconnecting within 200 ms to 2 s, TLS
// when asked. A TLS file that cannot be read fails here, naming its flag.
common::result<std::shared_ptr<master_channel>> channel_to_master(const std::string& address,
                                                                  const channel_security& security);

}  // namespace stampede::wire
