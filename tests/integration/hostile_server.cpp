#include "tests/integration/hostile_server.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace stampede::testing {

std::string hostile_connection::read_request(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    auto complete = [&]() -> std::size_t {
        const auto head_end = pending_.find("\r\n\r\n");
        if (head_end == std::string::npos) return 0;
        std::size_t length = 0;
        const auto at = pending_.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) length = std::stoul(pending_.substr(at + 16));
        const auto total = head_end + 4 + length;
        return pending_.size() >= total ? total : 0;
    };
    while (complete() == 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0) return {};
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[8192];
        const auto n = ::read(fd_, chunk, sizeof chunk);
        if (n <= 0) return {};
        pending_.append(chunk, static_cast<std::size_t>(n));
    }
    const auto n = complete();
    std::string request = pending_.substr(0, n);
    pending_.erase(0, n);
    ++requests_;
    return request;
}

bool hostile_connection::write(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

bool hostile_connection::closed_by_peer(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char byte;
    return ::recv(fd_, &byte, 1, MSG_PEEK) == 0;
}

void hostile_connection::reset() {
    if (fd_ < 0) return;
    forget_(fd_);  // before the close, so the server never touches a number reused since
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd_);
    fd_ = -1;
}

hostile_server::hostile_server(handler on_connection) : on_connection_(std::move(on_connection)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 64) != 0)
        throw std::runtime_error("hostile_server: cannot listen");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

hostile_server::~hostile_server() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);  // ends handlers blocked on reads
    }
    for (auto& t : handlers_) t.join();  // unlocked: a handler resetting its connection locks
    for (int fd : client_fds_) ::close(fd);
}

void hostile_server::accept_loop() {
    while (!stop_) {
        const int client = ::accept(fd_, nullptr, nullptr);
        if (client < 0) return;
        ++connections_;
        std::lock_guard lock(mutex_);
        client_fds_.push_back(client);
        handlers_.emplace_back([this, client] {
            hostile_connection c(client, requests_, [this](int fd) {
                std::lock_guard lock(mutex_);
                client_fds_.erase(std::find(client_fds_.begin(), client_fds_.end(), fd));
            });
            on_connection_(c);
            if (!c.was_reset()) ::shutdown(client, SHUT_WR);
        });
    }
}

std::string http_ok(const std::string& body, const std::string& content_type) {
    return "HTTP/1.1 200 OK\r\nContent-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

}  // namespace stampede::testing
