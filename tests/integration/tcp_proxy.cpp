#include "tests/integration/tcp_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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

// Copies both ways until either side closes, then closes both.
void tcp_proxy::pump(int client, int server) {
    char buffer[16384];
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    for (bool open = true; open && !stopping_;) {
        if (poll(fds, 2, 100) <= 0) continue;
        for (int i = 0; i < 2 && open; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n <= 0 || write(fds[1 - i].fd, buffer, static_cast<std::size_t>(n)) != n) open = false;
        }
    }
    std::lock_guard lock(mutex_);
    open_.erase(std::remove_if(open_.begin(), open_.end(), [&](int fd) { return fd == client || fd == server; }),
                open_.end());
    close(client);
    close(server);
}

}  // namespace stampede::testing
