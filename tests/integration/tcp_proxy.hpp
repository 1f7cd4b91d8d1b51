#pragma once
// A TCP proxy on loopback for failure tests: forwards to an upstream port, can cut every
// connection and refuse new ones for a while, as a broken network would, and can hold every
// byte for a while each way, as a long link does (this kernel has no netem to add delay).
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace stampede::testing {

class tcp_proxy {
public:
    explicit tcp_proxy(int upstream_port);
    ~tcp_proxy();
    int port() const { return port_; }
    // Closes every open connection; while `refusing`, new ones are closed at once.
    void cut();
    void set_refusing(bool refusing) { refusing_ = refusing; }
    // Each byte is passed on this long after it arrived, in both directions (one way's delay:
    // a round trip takes twice it).
    void set_delay(std::chrono::milliseconds one_way) { delay_ms_ = static_cast<int>(one_way.count()); }

private:
    void accept_loop();
    void pump(int client, int server);

    int upstream_port_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> refusing_{false}, stopping_{false};
    std::atomic<int> delay_ms_{0};
    std::mutex mutex_;
    std::vector<int> open_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

}  // namespace stampede::testing
