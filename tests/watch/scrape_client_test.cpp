// One scrape against a real server on loopback (the demo target's, in this process): the
// answer's body, and each way a scrape fails, in one line and within its deadline.
#include "watch/scrape_client.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include <boost/asio/ip/tcp.hpp>

#include "tests/watch/served_target.hpp"
#include "watch/exposition_reader.hpp"

using namespace stampede;
using namespace stampede::testing;
using namespace std::chrono_literals;

TEST_CASE("a scrape brings the service's exposition whole", "[scrape]") {
    served_target target;
    auto r = request_to(target.port, "/metrics");
    r.headers = {{"Authorization", "Bearer abc"}};
    const auto body = watch::scrape(r);
    REQUIRE(body.ok());
    bool counted = false;
    REQUIRE(watch::read_exposition(*body, {}, [&](const watch::exposition_sample& s) {
        counted = counted || s.name == "demo_requests_total";
    }));
    CHECK(counted);
}

TEST_CASE("a scrape that fails says why in one line, within its deadline", "[scrape]") {
    served_target target;
    CHECK(watch::scrape(request_to(target.port, "/nowhere")).error() == "HTTP 404");
    auto small = request_to(target.port, "/metrics");
    small.max_bytes = 100;
    const auto too_large = watch::scrape(small);
    INFO((too_large.ok() ? "body of " + std::to_string(too_large->size()) : too_large.error()));
    REQUIRE_FALSE(too_large.ok());
    CHECK(too_large.error() == "the answer is larger than 100 bytes");

    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor closed(io, {boost::asio::ip::address_v4::loopback(), 0});
    const auto closed_port = std::to_string(closed.local_endpoint().port());
    closed.close();
    CHECK(watch::scrape(request_to(closed_port, "/metrics")).error().starts_with("connect: "));

    // A server that accepts and never answers: the kernel's backlog takes the connection.
    boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::address_v4::loopback(), 0});
    auto quiet = request_to(std::to_string(silent.local_endpoint().port()), "/metrics");
    quiet.timeout = 300ms;
    const auto began = std::chrono::steady_clock::now();
    CHECK(watch::scrape(quiet).error() == "no answer within 300ms");
    CHECK(std::chrono::steady_clock::now() - began < 1s);
}
