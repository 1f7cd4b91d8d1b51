#pragma once
// The demo target's HTTP/1.1 server (Beast): one acceptor per port, connections spread over io
// threads, plain or TLS (with client certificates required when asked: mutual TLS).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "demo_target/demo_routes.hpp"

namespace stampede::demo {

// How the server treats connections, to exercise clients' reconnect paths.
struct connection_policy {
    int max_requests = 0;  // answer "Connection: close" after this many requests; 0: never
    std::chrono::milliseconds idle_timeout{60'000};  // close idle connections silently
};

// HTTPS: the server's certificate chain and key (PEM files); with a client CA, every client
// must present a certificate that CA signed. Used by the ports that ask for TLS.
struct tls_files {
    std::string certificate;
    std::string key;
    std::string client_ca;  // "": no client certificate asked for
};

// A port to listen on (0: a free one), plain HTTP or HTTPS.
struct listen_port {
    std::uint16_t port = 0;
    bool tls = false;
};

class demo_server {
public:
    // Why the TLS files cannot be used comes from start().
    demo_server(demo_service& service, int threads, connection_policy policy = {},
                std::optional<tls_files> tls = std::nullopt);
    ~demo_server();
    // Binds every port and starts serving; the bound ports in the same order, or why it cannot
    // listen (or use its TLS files). Listener i's requests count as the service's listener i.
    common::result<std::vector<std::uint16_t>> start(const std::string& address, const std::vector<listen_port>& ports);
    // Blocks until SIGINT or SIGTERM.
    void wait_for_signal();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace stampede::demo
