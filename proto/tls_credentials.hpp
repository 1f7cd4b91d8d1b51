#pragma once
// Credentials for the control channel from PEM files, read with a size limit; an unreadable
// file is an error naming the flag it came from.
#include <memory>
#include <string>

#include "common/result.hpp"

namespace grpc {
class ChannelCredentials;
class ServerCredentials;
}  // namespace grpc

namespace stampede::wire {

// The master's side: its certificate and key; with a CA, workers must present a certificate
// that chains to it (mutual TLS). Fails, naming the flag, when a file cannot be read.
common::result<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const std::string& cert,
                                                                            const std::string& key,
                                                                            const std::string& ca);

// A worker's side: the CA the master's certificate must chain to, and, for a master that
// requires it, the worker's own certificate and key.
common::result<std::shared_ptr<grpc::ChannelCredentials>> channel_credentials(const std::string& ca,
                                                                              const std::string& cert,
                                                                              const std::string& key);

}  // namespace stampede::wire
