#include <catch2/catch.hpp>

#include "live/request_guard.hpp"

using namespace stampede::live;

namespace {

const guard_settings settings{{"loadtest.internal"}, "0123456789abcdef0123456789abcdef"};

request_origin post(std::string host, std::string origin = "", std::string site = "",
                    std::string token = settings.control_token) {
    return {"POST", false, std::move(host), std::move(origin), std::move(site), std::move(token)};
}

request_origin get(std::string host) { return {"GET", false, std::move(host), "", "", ""}; }

}  // namespace

TEST_CASE("the guard answers to IP addresses, localhost and the names allowed, nothing else") {
    for (const auto* host : {"127.0.0.1:8089", "127.0.0.1", "[::1]:8089", "10.1.2.3:80", "localhost:8089", "LOCALHOST",
                             "loadtest.internal:8089", "LoadTest.Internal"})
        CHECK(judge_request(get(host), settings).status == 0);
    for (const auto* host : {"evil.example:8089", "127.0.0.1.nip.io:8089", "localhost.evil.example", "[::1", "0x7f.1:8089",
                             "loadtest.internal.evil.example"}) {
        const auto v = judge_request(get(host), settings);
        CHECK(v.status == 403);
        CHECK(v.reason.find("--web-allowed-host") != std::string::npos);
    }
    CHECK(judge_request(get(""), settings).status == 400);
    CHECK(judge_request({"GET", true, "", "", "", ""}, settings).status == 0);  // HTTP/1.0 may leave it out
}

TEST_CASE("a request that changes state must come from the page, with the control token") {
    CHECK(judge_request(post("127.0.0.1:8089"), settings).status == 0);  // curl with the token
    CHECK(judge_request(post("127.0.0.1:8089", "http://127.0.0.1:8089", "same-origin"), settings).status == 0);
    CHECK(judge_request(post("localhost:8089", "https://LOCALHOST:8089", "none"), settings).status == 0);
    // Another port of the same machine is another origin, and "same-site".
    auto v = judge_request(post("127.0.0.1:8089", "http://127.0.0.1:9000", "same-site"), settings);
    CHECK(v.status == 403);
    CHECK(v.reason == "a request from another site (Sec-Fetch-Site: 'same-site') cannot change the run");
    v = judge_request(post("127.0.0.1:8089", "http://127.0.0.1:9000"), settings);
    CHECK(v.reason == "a request from another origin ('http://127.0.0.1:9000') cannot change the run");
    CHECK(judge_request(post("127.0.0.1:8089", "null"), settings).status == 403);
    CHECK(judge_request(post("127.0.0.1:8089", "", "cross-site"), settings).status == 403);
    // No token, a wrong one, one of another length.
    for (const auto* token : {"", "0123456789abcdef0123456789abcdeX", "0123"}) {
        v = judge_request(post("127.0.0.1:8089", "", "", token), settings);
        CHECK(v.status == 403);
        CHECK(v.reason.find("X-Stampede-Token") != std::string::npos);
    }
    // A server without a token admits no change at all.
    CHECK(judge_request(post("127.0.0.1:8089", "", "", ""), guard_settings{}).status == 403);
    for (const auto* method : {"PUT", "DELETE", "PATCH"})
        CHECK(judge_request({method, false, "127.0.0.1", "", "", ""}, settings).status == 403);
}

TEST_CASE("host names are read from a Host header or an origin's authority") {
    CHECK(host_name_of("Example.COM:80") == "example.com");
    CHECK(host_name_of("[::1]:8089") == "::1");
    CHECK(host_name_of("[::1") == "");
    CHECK(host_name_of("") == "");
}

TEST_CASE("control tokens are 128 random bits, fresh each time") {
    const auto a = make_control_token(), b = make_control_token();
    CHECK(a.size() == 32);
    CHECK(a != b);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("every answer forbids framing and sniffing") {
    const auto& h = headers_for_every_reply();
    CHECK(h.at("X-Frame-Options") == "DENY");
    CHECK(h.at("Content-Security-Policy") == "frame-ancestors 'none'");
    CHECK(h.at("X-Content-Type-Options") == "nosniff");
}
