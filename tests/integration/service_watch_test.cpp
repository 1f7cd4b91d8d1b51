// What the service under load says of itself, on the real binaries: the demo target's own
// Prometheus /metrics, read back by Stampede's exposition reader, counts what a run sent it,
// and a leak on purpose shows in its resident memory while a steady target's stays flat.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"
#include "watch/exposition_reader.hpp"
#include "watch/scrape_client.hpp"

using namespace stampede;
using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// One sample's value from the target's /metrics: `name` with the labels given, summed.
double metric(int port, std::string_view name, std::string_view route = {}) {
    const auto text = http_get(port, "/metrics");
    double total = 0;
    bool found = false;
    const auto ok = watch::read_exposition(text, {}, [&](const watch::exposition_sample& s) {
        if (s.name != name) return;
        if (!route.empty() && (!s.label("route") || *s.label("route") != route)) return;
        total += s.value;
        found = true;
    });
    REQUIRE(ok);
    REQUIRE(found);
    return total;
}

}  // namespace

TEST_CASE("the demo target's /metrics counts what a run sent it, by route", "[watch]") {
    demo_target target({"--cache-hit-ratio", "0.7"});
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() +
                                       "\nuser_classes:\n  - tasks:\n      - {name: ok, path: /ok}\n      - {name: health, path: /health}\n");
    auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "--headless", "-u", "4", "-r", "100", "-t", "2s", "--json",
                             dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    const auto sent = result["totals"]["requests"].get<double>();
    CHECK(sent > 100);
    CHECK(metric(target.port(), "demo_requests_total", "ok") + metric(target.port(), "demo_requests_total", "health") == sent);
    CHECK(metric(target.port(), "demo_response_seconds_count", "ok") == metric(target.port(), "demo_requests_total", "ok"));
    const double hits = metric(target.port(), "demo_cache_hits_total");
    const double misses = metric(target.port(), "demo_cache_misses_total");
    CHECK(hits + misses == sent);
    CHECK(hits / sent == Approx(0.7).margin(1.0 / sent));
}

TEST_CASE("a leak on purpose shows in the target's resident memory, and a steady target's stays flat", "[watch]") {
    demo_target leaking({"--leak", "40MiB/s", "--leak-limit", "200MiB"});
    demo_target steady;
    const double leaking_before = metric(leaking.port(), "process_resident_memory_bytes");
    const double steady_before = metric(steady.port(), "process_resident_memory_bytes");
    std::this_thread::sleep_for(1500ms);
    const double grown = metric(leaking.port(), "process_resident_memory_bytes") - leaking_before;
    CHECK(grown >= 40.0 * (1 << 20));  // 60 MiB at the rate; the first scrape came up to 100 ms into a tick
    CHECK(grown <= 80.0 * (1 << 20));
    CHECK(metric(leaking.port(), "demo_leaked_bytes") >= 50.0 * (1 << 20));
    CHECK(std::abs(metric(steady.port(), "process_resident_memory_bytes") - steady_before) < 4.0 * (1 << 20));
}

TEST_CASE("a scrape over HTTPS verifies the service's certificate and name", "[watch]") {
    test_certificates certs;
    demo_target target({"--tls-port", "0", "--tls-cert", certs.server_cert(), "--tls-key", certs.server_key()});
    const auto port = std::to_string(target.https_ports().front());
    auto request = [&](const std::string& ca, const std::string& server_name) {
        watch::scrape_request r;
        r.host = "127.0.0.1";
        r.port = port;
        r.target = "/metrics";
        r.host_header = "127.0.0.1:" + port;
        r.tls = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
        r.tls->set_verify_mode(boost::asio::ssl::verify_peer);
        if (!ca.empty()) r.tls->load_verify_file(ca);
        r.server_name = server_name;
        return r;
    };
    const auto trusted = watch::scrape(request(certs.ca(), "localhost"));
    INFO((trusted.ok() ? std::string("ok") : trusted.error()));
    REQUIRE(trusted.ok());
    CHECK(trusted->find("demo_requests_total") != std::string::npos);
    CHECK(watch::scrape(request({}, "localhost")).error().starts_with("TLS handshake: "));  // no CA: not trusted
    CHECK(watch::scrape(request(certs.ca(), "other.test")).error().starts_with("TLS handshake: "));  // not its name
}
