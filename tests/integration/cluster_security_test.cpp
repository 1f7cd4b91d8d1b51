// The control channel's defences: protocol versions, TLS and mutual TLS, on real processes.
#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "proto/protocol.hpp"
#include "stampede/v1/cluster.grpc.pb.h"
#include "tests/integration/process.hpp"
#include "tests/integration/test_certificates.hpp"

using namespace stampede;
using namespace stampede::testing;
using namespace std::chrono_literals;

namespace {

std::string scenario(const temp_dir& dir, const demo_target& target) {
    const auto path = dir.file("s.yaml");
    write_file(path, "host: " + target.url() + "\nuser_classes:\n  - wait_time: {constant: 50ms}\n    tasks: [{path: /ok}]\n");
    return path;
}


}  // namespace

TEST_CASE("a worker speaking another protocol version is refused, naming both", "[cluster][security]") {
    demo_target target;
    temp_dir dir;
    int port = 0;
    auto master = start_master({"-f", scenario(dir, target), "-t", "1s", "--expect-workers-max-wait", "3s"}, port);
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    auto stub = v1::Coordinator::NewStub(channel);
    grpc::ClientContext context;
    auto stream = stub->Connect(&context);
    v1::WorkerMessage hello;
    hello.mutable_hello()->set_protocol_version(999);
    hello.mutable_hello()->set_worker_id("future");
    hello.mutable_hello()->set_name("from-the-future");
    REQUIRE(stream->Write(hello));
    v1::MasterMessage reply;
    REQUIRE(stream->Read(&reply));
    REQUIRE(reply.has_refusal());
    CHECK(reply.refusal().reason() ==
          "protocol version 999 is not supported: this master (stampede " STAMPEDE_VERSION ") speaks version " +
              std::to_string(wire::protocol_version));
    CHECK_FALSE(stream->Read(&reply));  // the master closes the stream
    CHECK(master->wait(15s) == 3);
    CHECK(master->err().find("refused worker from-the-future from ipv4:127.0.0.1:") != std::string::npos);
}

TEST_CASE("the control channel runs over TLS and mutual TLS", "[cluster][security]") {
    demo_target target;
    test_certificates certs;
    const auto& dir = certs.dir();
    const auto path = scenario(dir, target);
    auto run_pair = [&](std::vector<std::string> master_tls, std::vector<std::string> worker_tls) {
        int port = 0;
        std::vector<std::string> args = {"-f", path, "-u", "2", "-r", "100", "-t", "2s",
                                         "--expect-workers-max-wait", "5s"};
        args.insert(args.end(), master_tls.begin(), master_tls.end());
        auto master = start_master(args, port);
        std::vector<std::string> w = {STAMPEDE_BIN, "worker", "--master", "127.0.0.1:" + std::to_string(port),
                                      "--threads", "1", "--master-wait", "3s"};
        w.insert(w.end(), worker_tls.begin(), worker_tls.end());
        child_process worker(w);
        const auto worker_code = worker.wait(20s);
        const auto master_code = master->wait(20s);
        INFO(master->err() << worker.err());
        return std::make_pair(master_code.value_or(-1), worker_code.value_or(-1));
    };
    const std::vector<std::string> server_tls = {"--tls-cert", certs.server_cert(), "--tls-key", certs.server_key()};
    SECTION("TLS: a worker trusting the CA joins; a plaintext one cannot") {
        CHECK(run_pair(server_tls, {"--tls-ca", certs.ca()}) == std::make_pair(0, 0));
        CHECK(run_pair(server_tls, {}) == std::make_pair(3, 3));
    }
    SECTION("mutual TLS: only a worker with a certificate from the clients' CA joins") {
        auto mutual = server_tls;
        mutual.insert(mutual.end(), {"--tls-ca", certs.client_ca()});
        CHECK(run_pair(mutual, {"--tls-ca", certs.ca(), "--tls-cert", certs.client_cert(), "--tls-key",
                                certs.client_key()}) == std::make_pair(0, 0));
        CHECK(run_pair(mutual, {"--tls-ca", certs.ca()}) == std::make_pair(3, 3));
    }
}

TEST_CASE("a worker with an unreadable TLS file says which flag, and exits 2", "[cluster][security]") {
    child_process worker({STAMPEDE_BIN, "worker", "--master", "127.0.0.1:1", "--tls-ca", "/nonexistent/ca.pem"});
    CHECK(worker.wait(10s) == 2);
    CHECK(worker.err().find("--tls-ca: cannot read /nonexistent/ca.pem") != std::string::npos);
}
