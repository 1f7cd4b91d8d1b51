#pragma once
// Credentials for the control channel from PEM files, read with a size limit; an unreadable
// file is an error naming the flag it came from.
#include <memory>
#include <string>

namespace grpc {
class ChannelCredentials;
class ServerCredentials;
}  // namespace grpc

namespace stampede::wire {

// The master's side: its certificate and key; with a CA, workers must present a certificate
// that chains to it (mutual TLS). Null with the reason in `error` when a file cannot be read.
std::shared_ptr<grpc::ServerCredentials> server_credentials(const std::string& cert, const std::string& key,
                                                            const std::string& ca, std::string& error);

// A worker's side: the CA the master's certificate must chain to, and, for a master that
// requires it, the worker's own certificate and key.
std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const std::string& ca, const std::string& cert,
                                                              const std::string& key, std::string& error);

}  // namespace stampede::wire
