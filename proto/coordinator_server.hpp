#pragma once
// The master's side of the wire: the Coordinator service on one completion queue and the
// thread that drives it, one stream object per worker, and the server that hosts them (on a
// TCP port, and in-process for `stampede run`). What workers say reaches a `worker_handler`
// as plain messages; what the master says goes through each worker's `worker_link`.
#include <memory>
#include <string>

#include "common/result.hpp"
#include "proto/master_channel.hpp"
#include "proto/messages.hpp"

namespace grpc {
class Server;
}  // namespace grpc

namespace stampede::wire {

// One worker's stream, as the master sees it.
class worker_link {
public:
    virtual ~worker_link() = default;
    virtual void send(const master_message& message) = 0;
    // Ends the stream after pending writes. `run_over`: the worker is done with this master
    // (quit, refused), and the stream ends with OK; otherwise (lost, stale) with ABORTED, and
    // the worker reconnects.
    virtual void close(bool run_over = false) = 0;
    virtual std::string peer() const = 0;
};

// What the streams report, from the server's one thread.
class worker_handler {
public:
    virtual ~worker_handler() = default;
    virtual void on_hello(worker_link& link, const hello& greeting) = 0;
    // Every message after the hello (a second hello included). A snapshot in it is valid
    // during the call only.
    virtual void on_message(worker_link& link, const worker_message& message) = 0;
    // After this the handler no longer calls the link's send or close.
    virtual void on_disconnect(worker_link& link) = 0;
};

struct tls_files {
    std::string cert, key, ca;  // PEM file paths; ca set on the master: require client certificates
    bool enabled() const { return !cert.empty() || !ca.empty(); }
};

class coordinator_server {
public:
    explicit coordinator_server(worker_handler& handler);
    ~coordinator_server();
    // Listens on `bind` ("host:port"; port 0 picks one) unless empty.
    common::status start(const std::string& bind, const tls_files& tls);
    int port() const { return port_; }
    // A channel to this server inside the process, for in-process workers.
    std::shared_ptr<master_channel> in_process_channel();
    void shutdown();

private:
    struct service;
    worker_handler& handler_;
    std::unique_ptr<service> service_;
    std::unique_ptr<grpc::Server> server_;
    int port_ = 0;
};

}  // namespace stampede::wire
