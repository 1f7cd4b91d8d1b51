// HTTPS end to end: the real stampede against the demo target serving certificates made for
// the test. Verification with the CA passes, without it or against an expired certificate or
// another name it fails with OpenSSL's reason; `insecure` skips it; mutual TLS refuses a
// client without a certificate; handshakes are timed apart, and sessions are resumed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// A demo target with one plain port (its /__stats) and one HTTPS port serving `cert`.
demo_target https_target(const test_certificates& certs, const std::string& cert, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--tls-port", "0", "--tls-cert", cert, "--tls-key", certs.server_key()};
    args.insert(args.end(), extra.begin(), extra.end());
    return demo_target(args);
}

std::string https_url(const demo_target& target, const std::string& host = "127.0.0.1") {
    return "https://" + host + ":" + std::to_string(target.https_ports().at(0));
}

// Runs `tls_block` (the lines under `tls:`, or none) against `url` for a second; the result.
scenario_run run_https(const std::string& url, const std::string& tls_block, std::vector<std::string> extra = {}) {
    const std::string body = (tls_block.empty() ? "" : "tls:\n" + tls_block) + R"(
user_classes:
  - tasks: [{name: health, path: /health}]
)";
    std::vector<std::string> args = {"-u", "2", "-r", "100", "-t", "1s"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_scenario_with_result(url, body, args);
}

std::uint64_t listener_served(demo_target& target, int port) {
    const auto stats = target.stats();
    for (const auto& l : stats["listeners"])
        if (l["port"] == port) return l["served"].get<std::uint64_t>();
    FAIL("no listener on " << port << ": " << stats.dump());
    return 0;
}

// The one error row of a failed run: its kind and message.
json only_error(const json& result) {
    REQUIRE(result["errors"].size() == 1);
    return result["errors"][0];
}

}  // namespace

TEST_CASE("HTTPS verified against the scenario's CA: every request counted, handshakes timed apart", "[tls]") {
    test_certificates certs;
    auto target = https_target(certs, certs.server_cert(), {"--max-requests-per-connection", "5"});
    auto r = run_https(https_url(target), "  ca_file: " + certs.ca() + "\n");
    INFO(r.run.out << r.run.err);
    REQUIRE(r.run.code == 0);
    const auto& totals = r.result["totals"];
    CHECK(totals["failures"] == 0);
    CHECK(totals["requests"].get<std::uint64_t>() > 20);
    CHECK(totals["requests"].get<std::uint64_t>() == listener_served(target, target.https_ports()[0]));
    CHECK(listener_served(target, target.port()) == 0);
    // Every fifth request closes its connection: connections are made again, each timed once,
    // and most reconnections resume the user's TLS session.
    const auto connections = totals["connect"]["count"].get<std::uint64_t>();
    CHECK(connections >= totals["requests"].get<std::uint64_t>() / 5);
    // The stop may cut a handshake short, at most one per user.
    const auto handshakes = totals["tls_handshake"]["count"].get<std::uint64_t>();
    CHECK(handshakes <= connections);
    CHECK(handshakes + 2 >= connections);
    CHECK(totals["tls_handshake"]["p50"].get<double>() > 0);
    const auto tls = target.stats()["tls"];
    const auto served_handshakes = tls["handshakes"].get<std::uint64_t>() + tls["resumed"].get<std::uint64_t>();
    CHECK(served_handshakes >= handshakes);
    CHECK(served_handshakes <= connections);
    CHECK(tls["resumed"].get<std::uint64_t>() > connections / 2);
    CHECK(tls["failed"] == 0);
    CHECK(r.run.out.find("New connections (ms)") != std::string::npos);
    CHECK(r.run.out.find("TLS p95") != std::string::npos);
}

TEST_CASE("HTTPS without the CA fails every request as a TLS error, with OpenSSL's reason", "[tls]") {
    test_certificates certs;
    auto target = https_target(certs, certs.server_cert());
    auto r = run_https(https_url(target), "");
    INFO(r.run.out << r.run.err);
    CHECK(r.run.code == 1);  // failed requests, no thresholds
    CHECK(r.result["totals"]["failures"] == r.result["totals"]["requests"]);
    const auto error = only_error(r.result);
    CHECK(error["kind"] == "tls");
    CHECK(error["message"].get<std::string>().find("TLS handshake: certificate verify failed: unable to get local issuer certificate") !=
          std::string::npos);
    CHECK(target.stats()["served"] == 0);
}

TEST_CASE("insecure: true skips verification of a certificate no store trusts", "[tls]") {
    test_certificates certs;
    auto target = https_target(certs, certs.expired_cert());
    auto r = run_https(https_url(target), "  insecure: true\n");
    INFO(r.run.out << r.run.err);
    REQUIRE(r.run.code == 0);
    CHECK(r.result["totals"]["requests"].get<std::uint64_t>() == target.stats()["served"].get<std::uint64_t>());
}

TEST_CASE("an expired certificate and a name it does not hold are refused, each with its reason", "[tls]") {
    test_certificates certs;
    auto expired = https_target(certs, certs.expired_cert());
    auto r = run_https(https_url(expired), "  ca_file: " + certs.ca() + "\n");
    INFO(r.run.out << r.run.err);
    CHECK(only_error(r.result)["message"].get<std::string>().find("certificate has expired") != std::string::npos);

    auto other = https_target(certs, certs.other_name_cert());
    auto by_address = run_https(https_url(other), "  ca_file: " + certs.ca() + "\n");
    CHECK(only_error(by_address.result)["message"].get<std::string>().find("IP address mismatch") != std::string::npos);
    auto by_name = run_https(https_url(other, "localhost"), "  ca_file: " + certs.ca() + "\n");
    CHECK(only_error(by_name.result)["message"].get<std::string>().find("hostname mismatch") != std::string::npos);
    // server_name: the name sent and verified is the one the certificate holds.
    auto named = run_https(https_url(other), "  ca_file: " + certs.ca() + "\n  server_name: other.test\n");
    INFO(named.run.out << named.run.err);
    CHECK(named.run.code == 0);
    CHECK(named.result["totals"]["failures"] == 0);
}

TEST_CASE("mutual TLS: a client without a certificate is refused, one with the right one is served", "[tls]") {
    test_certificates certs;
    auto target = https_target(certs, certs.server_cert(), {"--tls-client-ca", certs.client_ca()});
    auto refused = run_https(https_url(target), "  ca_file: " + certs.ca() + "\n");
    INFO(refused.run.out << refused.run.err);
    CHECK(refused.run.code == 1);
    const auto error = only_error(refused.result);
    CHECK(error["kind"] == "tls");
    CHECK(error["message"].get<std::string>().find("certificate required") != std::string::npos);
    CHECK(target.stats()["served"] == 0);
    CHECK(target.stats()["tls"]["failed"].get<std::uint64_t>() > 0);

    auto served = run_https(https_url(target), "  ca_file: " + certs.ca() + "\n  client_cert: " + certs.client_cert() +
                                                   "\n  client_key: " + certs.client_key() + "\n");
    INFO(served.run.out << served.run.err);
    REQUIRE(served.run.code == 0);
    CHECK(served.result["totals"]["requests"].get<std::uint64_t>() == target.stats()["served"].get<std::uint64_t>() );
}

TEST_CASE("TLS files that cannot be used are refused before any traffic, naming the file", "[tls]") {
    test_certificates certs;
    auto target = https_target(certs, certs.server_cert());
    write_file(certs.dir().file("not-pem.txt"), "hello\n");
    auto not_pem = run_https(https_url(target), "  ca_file: " + certs.dir().file("not-pem.txt") + "\n");
    CHECK(not_pem.run.code == 2);
    CHECK(not_pem.run.err.find("CA file '" + certs.dir().file("not-pem.txt") + "' is not PEM") != std::string::npos);
    auto missing = run_https(https_url(target), "  ca_file: /nonexistent/ca.pem\n");
    CHECK(missing.run.code == 2);
    CHECK(missing.run.err.find("cannot read CA file '/nonexistent/ca.pem'") != std::string::npos);
    auto half = run_https(https_url(target), "  client_cert: " + certs.client_cert() + "\n");
    CHECK(half.run.code == 2);
    CHECK(half.run.err.find("mutual TLS needs both client_cert and client_key") != std::string::npos);
    auto mismatched = run_https(https_url(target), "  client_cert: " + certs.client_cert() + "\n  client_key: " +
                                                       certs.server_key() + "\n");
    CHECK(mismatched.run.code != 0);
    CHECK(mismatched.run.err.find("client key '" + certs.server_key() + "': key values mismatch") != std::string::npos);
    CHECK(target.stats()["served"] == 0);
}

TEST_CASE("https:// to a port that does not serve TLS is a TLS error that says so", "[tls]") {
    demo_target target;
    auto r = run_https("https://127.0.0.1:" + std::to_string(target.port()), "");
    INFO(r.run.out << r.run.err);
    CHECK(r.run.code == 1);
    const auto error = only_error(r.result);
    CHECK(error["kind"] == "tls");
    CHECK(error["message"] == "TLS handshake: the server closed the connection (does it serve TLS on this port?)");
}

TEST_CASE("a TLS server that closes idle connections costs no request: users reconnect and resume", "[tls]") {
    test_certificates certs;
    auto target = https_target(certs, certs.server_cert(), {"--idle-timeout", "100ms"});
    const std::string body = "tls: {ca_file: " + certs.ca() + R"(}
user_classes:
  - wait_time: {constant: 250ms}
    tasks: [{name: health, path: /health}]
)";
    auto r = run_scenario_with_result(https_url(target), body, {"-u", "3", "-r", "100", "-t", "2s"});
    INFO(r.run.out << r.run.err);
    REQUIRE(r.run.code == 0);
    const auto& totals = r.result["totals"];
    CHECK(totals["failures"] == 0);
    CHECK(totals["requests"].get<std::uint64_t>() == target.stats()["served"].get<std::uint64_t>());
    CHECK(totals["connect"]["count"].get<std::uint64_t>() >= totals["requests"].get<std::uint64_t>() - 3);
    CHECK(target.stats()["tls"]["resumed"].get<std::uint64_t>() > 0);
}
