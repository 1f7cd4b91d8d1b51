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
    // At most this many bytes a second each way, shared equally by the open connections (a thin
    // link that several hosts share); 0: no limit. A connection reads no more while it holds 4 KiB, so
    // what cannot pass backs up into the sender's socket and its flow control, as on such a link.
    void set_rate(std::size_t bytes_per_second) { rate_ = bytes_per_second; }
    // While stalled, nothing passes either way and every connection stays open: a link whose
    // packets are lost while TCP backs off its retransmissions.
    void set_stalled(bool stalled) { stalled_ = stalled ? 3 : 0; }
    // Only what the client sends is held (a one-way partition: the upstream's words still arrive).
    void set_upstream_stalled(bool stalled) { stalled_ = stalled ? 1 : 0; }
    // Bytes passed so far toward the upstream (0) and toward the clients (1).
    std::size_t passed(int way) const { return passed_[way]; }

private:
    void accept_loop();
    void pump(int client, int server);
    struct bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point filled = std::chrono::steady_clock::now();
    };
    // How many of `want` bytes may pass now through one connection's one way.
    std::size_t take_budget(bucket& b, std::size_t want);

    int upstream_port_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> refusing_{false}, stopping_{false};
    std::atomic<int> stalled_{0};  // bit 0: toward the upstream, bit 1: toward the client
    std::atomic<int> delay_ms_{0};
    std::atomic<std::size_t> rate_{0};
    std::atomic<std::size_t> passed_[2] = {0, 0};

    std::mutex mutex_;
    std::vector<int> open_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

}  // namespace stampede::testing
