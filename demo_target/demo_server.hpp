#pragma once
// The demo target's HTTP/1.1 server (Beast): one acceptor, connections spread over io threads.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "demo_target/demo_routes.hpp"

namespace stampede::demo {

// How the server treats connections, to exercise clients' reconnect paths.
struct connection_policy {
    int max_requests = 0;  // answer "Connection: close" after this many requests; 0: never
    std::chrono::milliseconds idle_timeout{60'000};  // close idle connections silently
};

class demo_server {
public:
    demo_server(demo_service& service, int threads, connection_policy policy = {});
    ~demo_server();
    // Binds and starts serving; the bound port, or why it cannot listen.
    common::result<std::uint16_t> start(const std::string& address, std::uint16_t port);
    // Blocks until SIGINT or SIGTERM.
    void wait_for_signal();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace stampede::demo
