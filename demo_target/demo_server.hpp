#pragma once
// The demo target's HTTP/1.1 server (Beast): one acceptor, connections spread over io threads.
#include <cstdint>
#include <memory>
#include <string>

#include "demo_target/demo_routes.hpp"

namespace stampede::demo {

class demo_server {
public:
    demo_server(demo_service& service, int threads);
    ~demo_server();
    // Binds and starts serving; returns the bound port, or 0 with a reason in *error.
    std::uint16_t start(const std::string& address, std::uint16_t port, std::string* error);
    // Blocks until SIGINT or SIGTERM.
    void wait_for_signal();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace stampede::demo
