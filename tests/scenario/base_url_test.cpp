#include "scenario/base_url.hpp"

#include <catch2/catch.hpp>

using namespace stampede::lang;

namespace {

std::string refusal(const std::string& url) {
    const auto parsed = parse_host_url(url);
    REQUIRE_FALSE(parsed);
    return parsed.error();
}

}  // namespace

TEST_CASE("a base URL gives host, port and path prefix", "[base_url]") {
    auto h = parse_host_url("http://agents.local:8080/api/v1/");
    REQUIRE(h);
    CHECK(h->host == "agents.local");
    CHECK(h->port == "8080");
    CHECK(h->base_path == "/api/v1");
    CHECK(h->authority() == "agents.local:8080");
    auto plain = parse_host_url("http://example");
    REQUIRE(plain);
    CHECK(plain->port == "80");
    CHECK(plain->authority() == "example");
}

TEST_CASE("IPv6 literals go in brackets and come out of them", "[base_url]") {
    auto h = parse_host_url("http://[::1]:18080/base");
    REQUIRE(h);
    CHECK(h->host == "::1");
    CHECK(h->port == "18080");
    CHECK(h->authority() == "[::1]:18080");
    CHECK(h->url() == "http://[::1]:18080/base");
    auto no_port = parse_host_url("http://[fe80::1]");
    REQUIRE(no_port);
    CHECK(no_port->authority() == "[fe80::1]");
    CHECK(refusal("http://::1:8080").find("in brackets") != std::string::npos);
    CHECK(refusal("http://[::1").find("without ']'") != std::string::npos);
    CHECK(refusal("http://[nothex]:1").find("is not an IPv6 address") != std::string::npos);
}

TEST_CASE("user info, queries, fragments and bad ports are refused with the reason", "[base_url]") {
    CHECK(refusal("http://user:pw@host:8080").find("user info") != std::string::npos);
    CHECK(refusal("http://host:8080/base?x=1#frag").find("no query or fragment") != std::string::npos);
    CHECK(refusal("http://host/#frag").find("no query or fragment") != std::string::npos);
    CHECK(refusal("http://host:99999") == "host 'http://host:99999': invalid port '99999' (1 to 65535)");
    CHECK(refusal("http://host:").find("invalid port ''") != std::string::npos);
    CHECK(refusal("http://:80").find("no host name") != std::string::npos);
    CHECK(refusal("ftp://host").find("unsupported scheme 'ftp'; use http://, https://, ws:// or wss://") != std::string::npos);
    const auto long_name = refusal("http://" + std::string(100'000, 'a') + ":80");
    CHECK(long_name.find("at most 253 characters") != std::string::npos);
    CHECK(long_name.size() < 400);  // the URL is quoted shortened
}

TEST_CASE("https:// is port 443 unless it names one, and the Host header leaves the default out", "[base_url]") {
    auto h = parse_host_url("https://agents.example/api");
    REQUIRE(h);
    CHECK(h->tls());
    CHECK(h->port == "443");
    CHECK(h->authority() == "agents.example");
    CHECK(h->url() == "https://agents.example/api");
    auto other = parse_host_url("https://agents.example:8443");
    REQUIRE(other);
    CHECK(other->authority() == "agents.example:8443");
    auto plain443 = parse_host_url("http://agents.example:443");
    REQUIRE(plain443);
    CHECK_FALSE(plain443->tls());
    CHECK(plain443->authority() == "agents.example:443");
}
