// Whether a hello may join, and what it says of its worker: no stream, no cluster.
#include "master/worker_admission.hpp"

#include <catch2/catch.hpp>

#include "proto/protocol.hpp"

using namespace stampede;
using namespace stampede::master;

namespace {

wire::hello good_hello() {
    wire::hello h;
    h.protocol_version = wire::protocol_version;
    h.stampede_version = STAMPEDE_VERSION;
    h.worker_id = "id";
    h.name = "w";
    h.threads = 2;
    h.token = "t";
    h.master_timeout_ms = 5000;
    return h;
}

}  // namespace

TEST_CASE("a hello joins with the right protocol, token and id, while the run is open", "[admission]") {
    const std::string token = "t";
    CHECK(admissible(good_hello(), "peer", {token, false}));

    auto old = good_hello();
    old.protocol_version = wire::protocol_version + 1;
    const auto refused = admissible(old, "peer", {token, false});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().starts_with("protocol version " + std::to_string(wire::protocol_version + 1)));

    auto wrong = good_hello();
    wrong.token = "u";
    CHECK(admissible(wrong, "peer", {token, false}).error() == "wrong token");
    wrong.token.clear();
    CHECK(admissible(wrong, "peer", {token, false}).error() == "this master requires a token (--token or STAMPEDE_TOKEN)");

    CHECK(admissible(good_hello(), "peer", {token, true}).error() == "the run has ended");
    auto no_id = good_hello();
    no_id.worker_id.clear();
    CHECK_FALSE(admissible(no_id, "peer", {token, false}));
    no_id.worker_id.assign(max_name_bytes + 1, 'x');
    CHECK_FALSE(admissible(no_id, "peer", {token, false}));

    const std::string none;
    CHECK(admissible(good_hello(), "peer", {none, false}));  // a token brought to a master that checks none: warned
}

TEST_CASE("what a hello says of its worker is bounded: name, machine, threads", "[admission]") {
    auto h = good_hello();
    h.name.assign(1000, 'n');
    h.machine = "m\xff";
    h.threads = 1u << 30;
    worker_entry w;
    enter_hello(w, h, {});
    CHECK(w.name == std::string(max_name_bytes, 'n') + "...");  // cut, and said to be
    CHECK(w.machine == "m\xef\xbf\xbd");  // made valid UTF-8
    CHECK(w.threads == static_cast<int>(max_worker_threads));
    CHECK(w.master_timeout == std::chrono::milliseconds(5000));
    CHECK(w.lost_after > w.master_timeout);  // by then its own timeout has stopped its users
    h.threads = 0;
    enter_hello(w, h, {});
    CHECK(w.threads == 1);
}
