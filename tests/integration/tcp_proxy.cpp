#include "tests/integration/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <string>
#include <stdexcept>

namespace stampede::testing {

namespace {

sockaddr_in loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

}  // namespace

tcp_proxy::tcp_proxy(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    auto addr = loopback(0);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 64) != 0)
        throw std::runtime_error("proxy: cannot listen");
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

tcp_proxy::~tcp_proxy() {
    stopping_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    acceptor_.join();
    cut();
    for (auto& t : threads_) t.join();
}

void tcp_proxy::cut() {
    std::lock_guard lock(mutex_);
    for (int fd : open_) shutdown(fd, SHUT_RDWR);  // the pump threads see EOF and close them
}

void tcp_proxy::accept_loop() {
    while (!stopping_) {
        pollfd p{listener_, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        const int client = accept(listener_, nullptr, nullptr);
        if (client < 0) continue;
        if (refusing_) {
            close(client);
            continue;
        }
        const int server = socket(AF_INET, SOCK_STREAM, 0);
        auto addr = loopback(upstream_port_);
        if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            close(client);
            close(server);
            continue;
        }
        std::lock_guard lock(mutex_);
        open_.push_back(client);
        open_.push_back(server);
        threads_.emplace_back([this, client, server] { pump(client, server); });
    }
}

// Copies both ways until either side closes, then closes both; with a delay, what is read is
// held until its time comes (order kept), and an end is passed on when what came before it is.
// Each connection gets an equal share of the link, as TCP's congestion control shares one
// between the flows on it.
std::size_t tcp_proxy::take_budget(bucket& b, std::size_t want) {
    const std::size_t rate = rate_;
    if (rate == 0) return want;
    std::size_t connections = 1;
    {
        std::lock_guard lock(mutex_);
        connections = std::max<std::size_t>(1, open_.size() / 2);
    }
    const double share = static_cast<double>(rate) / static_cast<double>(connections);
    const auto now = std::chrono::steady_clock::now();
    // At most a tenth of a second's worth saved up: the link passes bytes evenly, not in bursts.
    b.tokens = std::min(share / 10, b.tokens + std::chrono::duration<double>(now - b.filled).count() * share);
    b.filled = now;
    const auto granted = std::min(want, static_cast<std::size_t>(b.tokens));
    b.tokens -= static_cast<double>(granted);
    return granted;
}

void tcp_proxy::pump(int client, int server) {
    using clock = std::chrono::steady_clock;
    struct held {
        clock::time_point due;
        std::string bytes;  // empty: the end of that direction
    };
    constexpr std::size_t max_held = 4096;  // read no more while this much waits (with a rate)
    std::deque<held> queues[2];  // [i]: read from fds[i], to be written to the other
    std::size_t held_bytes[2] = {0, 0};
    bucket budgets[2];
    char buffer[16384];
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    bool reading[2] = {true, true};
    for (bool open = true; open && !stopping_;) {
        auto now = clock::now();
        int wait_ms = 100;
        for (const auto& q : queues)
            if (!q.empty())
                wait_ms = std::min<int>(wait_ms, std::max<long>(rate_ ? 5 : 0, std::chrono::duration_cast<std::chrono::milliseconds>(q.front().due - now).count()));
        const int stalled = stalled_;
        for (int i = 0; i < 2; ++i)
            fds[i].events = reading[i] && !(stalled & (1 << i)) && (rate_ == 0 || held_bytes[i] < max_held) ? POLLIN : 0;
        poll(fds, 2, stalled ? std::min(wait_ms, 20) : wait_ms);
        // A closed end polls ready at once even while not read: no spinning on it while stalled.
        if (stalled) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        now = clock::now();
        for (int i = 0; i < 2; ++i) {
            if (!fds[i].events || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const std::size_t room = rate_ ? std::min(sizeof buffer, max_held) : sizeof buffer;
            const ssize_t n = read(fds[i].fd, buffer, room);
            queues[i].push_back({now + std::chrono::milliseconds(delay_ms_.load()), n > 0 ? std::string(buffer, n) : std::string()});
            if (n > 0) held_bytes[i] += static_cast<std::size_t>(n);
            if (n <= 0) reading[i] = false;
        }
        for (int i = 0; i < 2 && open; ++i) {
            if (stalled & (1 << i)) continue;  // held, the connection open
            while (open && !queues[i].empty() && queues[i].front().due <= now) {
                auto& h = queues[i].front();
                if (h.bytes.empty()) {
                    open = false;
                    break;
                }
                const auto passing = take_budget(budgets[i], h.bytes.size());
                if (passing == 0) break;
                if (send(fds[1 - i].fd, h.bytes.data(), passing, MSG_NOSIGNAL) != static_cast<ssize_t>(passing)) open = false;
                held_bytes[i] -= passing;
                passed_[i] += passing;
                if (passing < h.bytes.size()) {
                    h.bytes.erase(0, passing);
                    break;
                }
                queues[i].pop_front();
            }
        }
    }
    std::lock_guard lock(mutex_);
    open_.erase(std::remove_if(open_.begin(), open_.end(), [&](int fd) { return fd == client || fd == server; }),
                open_.end());
    close(client);
    close(server);
}

}  // namespace stampede::testing
