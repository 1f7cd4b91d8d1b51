// A master listens beyond loopback only when it can tell who is asking: its control channel
// with a token or mutual TLS, its web server with --web-auth; otherwise it refuses to start and
// says how to fix it, unless --allow-unauthenticated accepts the risk, which the result records.
// A token on one side only is a warning on both; a worker whose TLS handshake fails is told why.
#include <catch2/catch.hpp>
#include <csignal>
#include <nlohmann/json.hpp>

#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string scenario(const temp_dir& dir, const demo_target& target) {
    const auto path = dir.file("s.yaml");
    write_file(path, "host: " + target.url() + "\nuser_classes:\n  - wait_time: {constant: 50ms}\n    tasks: [{path: /ok}]\n");
    return path;
}

// A master that listens, once it says where; stopped by the caller.
std::unique_ptr<child_process> listening_master(std::vector<std::string> args) {
    args.insert(args.begin(), {STAMPEDE_BIN, "master", "--headless"});
    auto master = std::make_unique<child_process>(args);
    REQUIRE(master->wait_for_output("worker(s) on ", 10s));
    return master;
}

int port_of(const child_process& master, const std::string& host) {
    const auto out = master.out();
    return std::stoi(out.substr(out.find("worker(s) on " + host + ":") + 14 + host.size()));
}

}  // namespace

TEST_CASE("a master that would listen beyond loopback without a token refuses to start, saying how to fix it",
          "[security][exposure]") {
    demo_target target;
    temp_dir dir;
    const auto s = scenario(dir, target);
    for (const auto& bind : {"0.0.0.0:0", "[::]:0"}) {
        const auto refused = run_stampede({"master", "-f", s, "--bind", bind, "-t", "1s"});
        CHECK(refused.code == 2);
        INFO(refused.err);
        CHECK(refused.err.find(std::string("the control channel on ") + bind + " (no --token, no mutual TLS)") != std::string::npos);
        CHECK(refused.err.find("--token TOKEN (or STAMPEDE_TOKEN") != std::string::npos);
        CHECK(refused.err.find("--allow-unauthenticated") != std::string::npos);
        CHECK(refused.out.find("Waiting for") == std::string::npos);  // never listened
    }
    // The default --bind is every interface: the same.
    CHECK(run_stampede({"master", "-f", s, "-t", "1s"}).code == 2);
    // The web UI beyond loopback without credentials, for `run` as for `master`.
    const auto web = run_stampede({"run", "-f", s, "--web-host", "0.0.0.0", "--web-port", "0", "-t", "1s"});
    CHECK(web.code == 2);
    CHECK(web.err.find("the web UI and REST API on 0.0.0.0 (no --web-auth)") != std::string::npos);
    // Loopback needs nothing.
    auto local = listening_master({"-f", s, "--bind", "127.0.0.1:0", "-t", "1s"});
    local->send(SIGINT);
    CHECK(local->wait(10s));
}

TEST_CASE("a token, mutual TLS or credentials let a master listen beyond loopback", "[security][exposure]") {
    demo_target target;
    temp_dir dir;
    const auto s = scenario(dir, target);
    auto with_token = listening_master({"-f", s, "--bind", "0.0.0.0:0", "--token", "s3cret-token", "-u", "1", "-t", "1s",
                                        "--expect-workers-max-wait", "20s", "--web-host", "0.0.0.0", "--web-port", "0",
                                        "--web-auth", "ops:s3cret", "--json", dir.file("r.json")});
    auto worker = start_worker(port_of(*with_token, "0.0.0.0"), "w", {"--token", "s3cret-token"});
    CHECK(with_token->wait(30s) == 0);
    CHECK(worker->wait(10s) == 0);
    CHECK(with_token->err().find("warning") == std::string::npos);
    CHECK(json::parse(read_file(dir.file("r.json")))["unauthenticated_listeners"] == json::array());

    test_certificates certs;
    auto mutual = listening_master({"-f", s, "--bind", "0.0.0.0:0", "--tls-cert", certs.server_cert(), "--tls-key",
                                    certs.server_key(), "--tls-ca", certs.client_ca(), "-t", "1s"});
    mutual->send(SIGINT);
    CHECK(mutual->wait(10s));
}

TEST_CASE("with --allow-unauthenticated a master listens anyway, says so, and the result names what was open", "[security][exposure]") {
    demo_target target;
    temp_dir dir;
    auto master = listening_master({"-f", scenario(dir, target), "--bind", "0.0.0.0:0", "--allow-unauthenticated", "-u", "1",
                                    "-t", "1s", "--expect-workers-max-wait", "20s", "--json", dir.file("r.json")});
    CHECK(master->err().find("warning: --allow-unauthenticated: anyone who reaches the control channel on 0.0.0.0:0") !=
          std::string::npos);
    auto worker = start_worker(port_of(*master, "0.0.0.0"), "w");
    CHECK(master->wait(30s) == 0);
    CHECK(worker->wait(10s) == 0);
    const auto result = json::parse(read_file(dir.file("r.json")));
    CHECK(result["unauthenticated_listeners"] == json::array({"the control channel on 0.0.0.0:0 (no --token, no mutual TLS)"}));
}

TEST_CASE("a token given on one side only is a warning on both", "[security][exposure]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target), "-u", "1", "-t", "1s", "--expect-workers-max-wait", "20s"}, port);
    auto worker = start_worker(port, "careful", {"--token", "s3cret-token"});
    CHECK(master->wait(30s) == 0);
    CHECK(worker->wait(10s) == 0);
    CHECK(master->err().find("worker careful from ipv4:127.0.0.1:") != std::string::npos);
    CHECK(master->err().find("brought a token, but this master checks none (no --token)") != std::string::npos);
    CHECK(worker->err().find("this master checks no token: the --token given here protects nothing") != std::string::npos);
    // The other side: the master's token, none on the worker (refused, and said on both).
    auto guarded = start_master({"-f", scenario(dir, target), "--token", "s3cret-token", "-t", "1s",
                                 "--expect-workers-max-wait", "3s"}, port);
    auto bare = start_worker(port, "bare");
    CHECK(bare->wait(10s) == 4);
    CHECK(bare->err().find("this master requires a token (--token or STAMPEDE_TOKEN)") != std::string::npos);
    CHECK(guarded->wait(15s) == 3);
    CHECK(guarded->err().find("refused worker bare from ipv4:127.0.0.1:") != std::string::npos);
}

TEST_CASE("a worker whose TLS handshake with its master fails is told why", "[security][exposure]") {
    demo_target target;
    temp_dir dir;
    test_certificates certs;
    const auto s = scenario(dir, target);
    const auto try_worker = [&](std::vector<std::string> master_tls, std::vector<std::string> worker_tls) {
        std::vector<std::string> args = {"-f", s, "--bind", "127.0.0.1:0", "-t", "1s", "--expect-workers-max-wait", "6s"};
        args.insert(args.end(), master_tls.begin(), master_tls.end());
        auto master = listening_master(args);
        std::vector<std::string> w = {STAMPEDE_BIN, "worker", "--master", "127.0.0.1:" + std::to_string(port_of(*master, "127.0.0.1")),
                                      "--threads", "1", "--master-wait", "3s"};
        w.insert(w.end(), worker_tls.begin(), worker_tls.end());
        child_process worker(w);
        CHECK(worker.wait(20s) == 3);
        master->send(SIGINT);
        master->wait(10s);
        return worker.err();
    };
    const std::vector<std::string> server_tls = {"--tls-cert", certs.server_cert(), "--tls-key", certs.server_key()};
    auto err = try_worker(server_tls, {"--tls-ca", certs.client_ca()});  // a CA that did not sign the master's
    INFO(err);
    CHECK(err.find("cannot reach the master at 127.0.0.1:") != std::string::npos);
    CHECK(err.find("certificate verify failed") != std::string::npos);
    CHECK(err.find("no master at 127.0.0.1:") != std::string::npos);
    err = try_worker({}, {"--tls-ca", certs.ca()});  // TLS to a plaintext master
    CHECK(err.find("Ssl handshake failed") != std::string::npos);
    CHECK(err.find("does the master run with TLS") != std::string::npos);
    err = try_worker(server_tls, {});  // plaintext to a TLS master
    CHECK(err.find("give this worker --tls-ca") != std::string::npos);
}
