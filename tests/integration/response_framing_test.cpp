// Responses framed every way HTTP/1.1 allows, from a canned server on loopback: a body ended by
// the connection closing, a chunked body, and a connection that closes mid-body; and ways it
// does not allow. The engine must count each correctly and hand checks the whole body.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/integration/process.hpp"

using namespace stampede::testing;
using nlohmann::json;

namespace {

// Answers each connection's first request with the next of `responses` (in turn), then closes
// the connection. A response starting with "STALL:" is sent without that prefix and the
// connection is held open for `stall` before it closes: a server that stops mid-response.
class canned_server {
public:
    explicit canned_server(std::string response) : canned_server(std::vector<std::string>{std::move(response)}) {}
    canned_server(std::vector<std::string> responses, std::chrono::milliseconds stall = {})
        : responses_(std::move(responses)), stall_(stall) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 64) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~canned_server() {
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::uint64_t answered() const { return answered_; }

private:
    void serve() {
        while (!stop_) {
            const int client = ::accept(fd_, nullptr, nullptr);
            if (client < 0) return;
            std::string request;
            char chunk[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const auto n = ::read(client, chunk, sizeof chunk);
                if (n <= 0) break;
                request.append(chunk, static_cast<std::size_t>(n));
            }
            if (request.find("\r\n\r\n") != std::string::npos) {
                std::string response = responses_[answered_++ % responses_.size()];
                const bool stall = response.rfind("STALL:", 0) == 0;
                if (stall) response.erase(0, 6);
                (void)!::write(client, response.data(), response.size());
                if (stall) std::this_thread::sleep_for(stall_);
            }
            ::close(client);
        }
    }

    std::vector<std::string> responses_;
    std::chrono::milliseconds stall_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<std::uint64_t> answered_{0};
    std::thread thread_;
};

json run_against(const canned_server& server, const temp_dir& dir) {
    write_file(dir.file("s.yaml"), "host: " + server.url() + R"(
user_classes:
  - wait_time: 10ms
    tasks:
      - name: canned
        path: /
        checks: [{json: answer, equals: 42}, {body_contains: "the end"}]
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--headless", "-u", "2", "-r", "100", "-t", "1s",
                             "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE((run.code == 0 || run.code == 1));
    return json::parse(read_file(dir.file("r.json")));
}

// Many requests ran, and every one failed with the one transport error `reason`.
void every_request_failed(const json& result, const std::string& reason) {
    const auto requests = result["totals"]["requests"].get<std::uint64_t>();
    CHECK(requests > 10);
    CHECK(result["totals"]["failures"] == requests);
    REQUIRE(result["errors"].size() == 1);
    CHECK(result["errors"][0]["kind"] == "transport");
    CHECK(result["errors"][0]["message"] == reason);
}

}  // namespace

TEST_CASE("a body ended by the connection closing is read whole", "[framing]") {
    canned_server server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"answer\": 42, \"note\": \"the end\"}");
    temp_dir dir;
    const auto result = run_against(server, dir);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() > 10);
    CHECK(result["totals"]["failures"] == 0);
    for (const auto& c : result["checks"]) CHECK(c["failed"] == 0);
}

TEST_CASE("a chunked body is read whole", "[framing]") {
    canned_server server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                         "d\r\n{\"answer\": 42\r\n14\r\n, \"note\": \"the end\"}\r\n0\r\n\r\n");
    temp_dir dir;
    const auto result = run_against(server, dir);
    CHECK(result["totals"]["requests"].get<std::uint64_t>() > 10);
    CHECK(result["totals"]["failures"] == 0);
    CHECK(result["totals"]["bytes"].get<std::uint64_t>() ==
          33 * result["totals"]["requests"].get<std::uint64_t>());
    for (const auto& c : result["checks"]) CHECK(c["failed"] == 0);
}

TEST_CASE("a connection closed in the middle of a body is a transport failure", "[framing]") {
    canned_server server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"answer\": 42");
    temp_dir dir;
    every_request_failed(run_against(server, dir), "partial message");
}

TEST_CASE("bytes a broken response left unread are not taken for the next response", "[framing]") {
    canned_server server({"STALL:HTTP/1.1 200 OK\r\nContent-Le", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"},
                         std::chrono::milliseconds(150));
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + server.url() + R"(
user_classes:
  - tasks:
      - {name: canned, path: /, timeout: 2s}
)");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--headless", "-u", "1", "-r", "100", "-t", "2s",
                             "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto requests = result["totals"]["requests"].get<std::uint64_t>();
    const auto failures = result["totals"]["failures"].get<std::uint64_t>();
    CHECK(requests >= 4);
    CHECK(failures >= 1);
    // Every other response is complete, and read on a new connection after a cut one: it
    // succeeds, whatever the cut one left in the user's buffer.
    CHECK(requests - failures >= failures - 1);
    REQUIRE(result["errors"].size() == 1);
    CHECK(result["errors"][0]["message"] == "partial message");
}

TEST_CASE("a response framed against HTTP/1.1 fails its request with the parser's reason", "[framing]") {
    // Each broken the same way on every connection: every request fails, none hangs.
    const std::vector<std::pair<std::string, std::string>> broken = {
        {"NOT HTTP AT ALL\r\n\r\n", "bad version"},
        {"HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", "bad status"},
        {"HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n", "bad field"},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", "bad Content-Length"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n", "bad chunk"},
    };
    for (const auto& [response, reason] : broken) {
        INFO(response);
        canned_server server(response);
        temp_dir dir;
        every_request_failed(run_against(server, dir), reason);
    }
}
