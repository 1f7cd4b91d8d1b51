#pragma once
// The gRPC side of the master: the Coordinator service on one completion queue and the thread
// that drives it, one stream object per worker, and the server that hosts them (on a TCP port,
// and in-process for `stampede run`).
#include <memory>
#include <string>

#include "common/result.hpp"
#include "master/cluster.hpp"

namespace grpc {
class Channel;
class Server;
}  // namespace grpc

namespace stampede::master {

struct tls_files {
    std::string cert, key, ca;  // PEM file paths; ca set on the master: require client certificates
    bool enabled() const { return !cert.empty() || !ca.empty(); }
};

class coordinator_server {
public:
    explicit coordinator_server(cluster& c);
    ~coordinator_server();
    // Listens on `bind` ("host:port"; port 0 picks one) unless empty.
    common::status start(const std::string& bind, const tls_files& tls);
    int port() const { return port_; }
    // A channel to this server inside the process, for in-process workers.
    std::shared_ptr<grpc::Channel> in_process_channel();
    void shutdown();

private:
    struct service;
    cluster& cluster_;
    std::unique_ptr<service> service_;
    std::unique_ptr<grpc::Server> server_;
    int port_ = 0;
};

}  // namespace stampede::master
