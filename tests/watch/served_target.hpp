#pragma once
// The demo target on a free loopback port, serving from its own thread in the test's process,
// and a scrape request to it: what the watch's tests read a real service through.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "demo_target/demo_routes.hpp"
#include "demo_target/demo_server.hpp"
#include "watch/scrape_client.hpp"

namespace stampede::testing {

struct served_target {
    demo::demo_service service;
    demo::demo_server server{service, 1};
    std::string port;

    explicit served_target(demo::demo_config config = {}) : service(config) {
        auto bound = server.start("127.0.0.1", {{0, false}});
        REQUIRE(bound.ok());
        port = std::to_string(bound->front());
    }
};

inline watch::scrape_request request_to(const std::string& port, const std::string& target) {
    watch::scrape_request r;
    r.host = "127.0.0.1";
    r.port = port;
    r.target = target;
    r.host_header = "127.0.0.1:" + port;
    r.timeout = std::chrono::seconds(2);
    return r;
}

}  // namespace stampede::testing
