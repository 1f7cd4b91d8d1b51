#include "proto/wire_text.hpp"

#include <catch2/catch.hpp>

#include "stampede/v1/cluster.pb.h"

using namespace stampede::wire;

TEST_CASE("every string of a message is repaired before it is sent, bytes are left alone", "[utf8]") {
    stampede::v1::WorkerMessage m;
    auto* error = m.mutable_snapshot()->add_errors();
    error->set_message("body was '\xFF'");
    m.mutable_snapshot()->add_endpoints()->set_histogram("\xFF\xFE");
    CHECK(repair_text_fields(m) == 1);
    CHECK(m.snapshot().errors(0).message() == "body was '\xEF\xBF\xBD'");
    CHECK(m.snapshot().endpoints(0).histogram() == "\xFF\xFE");
    std::string wire;
    CHECK(m.SerializeToString(&wire));
    stampede::v1::WorkerMessage back;
    CHECK(back.ParseFromString(wire));
    CHECK(repair_text_fields(back) == 0);

    stampede::v1::WorkerMessage hello;
    hello.mutable_hello()->set_token("\xFF secret");  // bytes: compared exactly, never changed
    hello.mutable_hello()->set_name("w\xFF");
    CHECK(repair_text_fields(hello) == 1);
    CHECK(hello.hello().token() == "\xFF secret");
}
