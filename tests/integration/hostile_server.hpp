#pragma once
// A server on loopback that answers however a test scripts it: each accepted connection is
// handed to the test's function on a thread of its own, with helpers to read requests and
// write raw bytes. For the responses no well-behaved server sends: interim responses, answers
// sent twice or before their request, bodies in any encoding.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stampede::testing {

class hostile_connection {
public:
    hostile_connection(int fd, std::atomic<std::uint64_t>& requests, std::function<void(int)> forget)
        : fd_(fd), requests_(requests), forget_(std::move(forget)) {}
    // The next request's head and body (by Content-Length); empty when the peer closed or
    // `timeout` passed.
    std::string read_request(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    bool write(const std::string& bytes);
    bool closed_by_peer(std::chrono::milliseconds wait);
    // Ends the connection with a TCP reset (RST) rather than an orderly close.
    void reset();
    bool was_reset() const { return fd_ < 0; }

private:
    int fd_;
    std::atomic<std::uint64_t>& requests_;
    std::function<void(int)> forget_;  // the server stops tracking the descriptor
    std::string pending_;
};

class hostile_server {
public:
    using handler = std::function<void(hostile_connection&)>;
    explicit hostile_server(handler on_connection);
    ~hostile_server();
    hostile_server(const hostile_server&) = delete;
    hostile_server& operator=(const hostile_server&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    int port() const { return port_; }
    std::uint64_t connections() const { return connections_; }
    // Requests read through hostile_connection::read_request, on every connection.
    std::uint64_t requests() const { return requests_; }

private:
    void accept_loop();

    handler on_connection_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> connections_{0}, requests_{0};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> handlers_;
    std::vector<int> client_fds_;
};

// A complete 200 response with `body`.
std::string http_ok(const std::string& body, const std::string& content_type = "text/plain");

}  // namespace stampede::testing
