// A worker past the token check that lies: the master must refuse what cannot be true and
// keep totals that cannot wrap, whatever it is sent.
#include <catch2/catch.hpp>

#include "tests/integration/process.hpp"
#include "tests/integration/rogue_worker.hpp"

using namespace stampede;
using namespace stampede::testing;
using namespace std::chrono_literals;

TEST_CASE("counts that would wrap the totals are refused", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "liar");
    REQUIRE(rogue.welcomed());
    rogue.ready();
    CHECK(rogue.send(honest_snapshot(1, 10)));
    CHECK(rogue.send(honest_snapshot(2, std::uint64_t{1} << 63)));
    CHECK(rogue.send(honest_snapshot(3, std::uint64_t{1} << 63)));
    auto checks = honest_snapshot(4, 5);
    auto* c = checks.add_checks();
    c->set_check(0);
    c->set_failed(UINT64_MAX);
    checks.set_cancelled(UINT64_MAX);
    CHECK(rogue.send(checks));
    rogue.finish(4);
    const auto result = run.result();
    CHECK(result["totals"]["requests"] == 10);
    CHECK(result["cancelled_requests"] == 0);
    CHECK(result["refused_snapshots"] == 3);
    // Refused counts are counts missing: the result says so and the run fails.
    CHECK(run.code == 4);
    CHECK(result["complete"] == false);
    REQUIRE(result["data_gaps"].size() == 1);
    CHECK(result["data_gaps"][0]["reason"] ==
          "3 of its snapshots were refused as malformed (the first: a request count is larger than any "
          "worker counts in one interval)");
}

TEST_CASE("a worker that counted more than reached the master fails the run, saying how much", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "leaky");
    rogue.ready();
    auto s = honest_snapshot(1, 10);
    s.mutable_heartbeat()->set_last_sequence(3);
    s.mutable_heartbeat()->set_requests_counted(250);  // snapshots 2 and 3 never arrive
    CHECK(rogue.send(s));
    rogue.finish(3);
    const auto result = run.result();
    CHECK(run.code == 4);
    REQUIRE(result["data_gaps"].size() == 1);
    CHECK(result["data_gaps"][0]["known_missing_requests"] == 240);
    CHECK(result["data_gaps"][0]["fails_run"] == true);
    CHECK(run.master->out().find("240 request(s) known missing") != std::string::npos);
}

TEST_CASE("a histogram whose sum its buckets cannot hold is refused", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "liar");
    rogue.ready();
    auto lie = honest_snapshot(1, 4, 500);  // four values of 0.5 ms ...
    // ... whose header claims a sum of 7.2e19 us: rebuild it with that sum.
    auto honest = honest_snapshot(1, 4, 500).endpoints(0).histogram();
    std::string forged;
    forged.push_back(honest[0]);
    auto varint = [&](std::uint64_t v) {
        while (v >= 0x80) forged.push_back(static_cast<char>((v & 0x7f) | 0x80)), v >>= 7;
        forged.push_back(static_cast<char>(v));
    };
    varint(500), varint(500), varint(std::uint64_t{1} << 62), varint(0);
    // the bucket tokens follow the four header varints of the honest encoding
    std::size_t at = 1;
    for (int field = 0; field < 4; ++field)
        while (static_cast<unsigned char>(honest[at++]) & 0x80) {}
    forged += honest.substr(at);
    lie.mutable_endpoints(0)->set_histogram(forged);
    CHECK(rogue.send(lie));
    CHECK(rogue.send(honest_snapshot(2, 3, 500)));
    rogue.finish(2);
    const auto result = run.result();
    CHECK(result["totals"]["requests"] == 3);
    CHECK(result["totals"]["mean"].get<double>() == Approx(0.5));
    CHECK(result["refused_snapshots"] == 1);
}

TEST_CASE("a sequence far ahead is refused and does not hide the snapshots after it", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "liar");
    rogue.ready();
    CHECK(rogue.send(honest_snapshot(1, 7)));
    CHECK(rogue.send(honest_snapshot(UINT64_MAX, 1000)));
    CHECK(rogue.send(honest_snapshot(2, 5)));
    rogue.finish(2);
    const auto result = run.result();
    CHECK(result["totals"]["requests"] == 12);
    CHECK(result["refused_snapshots"] == 1);
    // Its counts are dropped, and the result says so.
    CHECK(run.code == 4);
    REQUIRE(result["data_gaps"].size() == 1);
    CHECK(result["data_gaps"][0]["reason"] ==
          "1 of its snapshots were refused as malformed (the first: sequence 18446744073709551615 is more than "
          "1000 ahead of the last applied (1))");
}

TEST_CASE("a worker announcing two billion threads is counted as the cap and cannot take every user", "[rogue]") {
    lying_run run({"-u", "2050", "--expect-workers", "2"});
    rogue_worker rogue(run.port, "liar", 2'000'000'000);
    auto honest = start_worker(run.port, "honest");
    const auto rogue_users = rogue.ready();
    CHECK(rogue_users < 2050);
    CHECK(rogue_users >= 2040);  // 1024 of 1025 threads' share
    rogue.finish(0);
    const auto result = run.result();
    for (const auto& w : result["workers"]) {
        if (w["name"] == "liar") CHECK(w["threads"] == 1024);
        if (w["name"] == "honest") CHECK(w["users"][0].get<int>() >= 1);
    }
}

TEST_CASE("distinct error rows are capped per endpoint, the rest counted in one row", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "liar");
    rogue.ready();
    auto s = honest_snapshot(1, 200'000);
    s.mutable_endpoints(0)->set_failures(200'000);
    for (int i = 0; i < 200'000; ++i) {
        auto* e = s.add_errors();
        e->set_endpoint(0);
        e->set_kind(2);  // transport
        e->set_code(i);
        e->set_message("invented " + std::to_string(i));
        e->set_count(1);
    }
    CHECK(rogue.send(s));
    rogue.finish(1);
    const auto result = run.result();
    CHECK(result["errors"].size() == 101);
    std::uint64_t occurrences = 0, others = 0;
    for (const auto& e : result["errors"]) {
        occurrences += e["occurrences"].get<std::uint64_t>();
        if (e["message"].get<std::string>().find("past the 100 distinct ones") != std::string::npos)
            others = e["occurrences"].get<std::uint64_t>();
    }
    CHECK(occurrences == 200'000);
    CHECK(others == 199'900);
}

TEST_CASE("a worker that fails during the run leaves a gap the result names, and the run fails", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "fragile");
    rogue.ready();
    CHECK(rogue.send(honest_snapshot(1, 10)));
    CHECK(rogue.fail("snapshot 2 is too large to send"));
    const auto result = run.result();
    CHECK(run.code == 2);  // its only worker cannot go on
    REQUIRE(result["data_gaps"].size() == 1);
    CHECK(result["data_gaps"][0]["reason"].get<std::string>().find("snapshot 2 is too large to send") !=
          std::string::npos);
    CHECK(result["complete"] == false);
    CHECK(result["totals"]["requests"] == 10);
}

TEST_CASE("what a worker says of itself is bounded in the result", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, std::string(1u << 20, 'n'));
    rogue.ready();
    rogue.finish(0);
    const auto result = run.result();
    REQUIRE(result["workers"].size() == 1);
    CHECK(result["workers"][0]["name"].get<std::string>().size() <= 260);
}

TEST_CASE("a message past the control channel's limit ends that stream, not the master", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "flood");
    rogue.ready();
    CHECK(rogue.send(honest_snapshot(1, 10)));
    auto huge = honest_snapshot(2, 1);
    auto* e = huge.add_errors();
    e->set_endpoint(0);
    e->set_kind(2);
    e->set_count(1);
    e->set_message(std::string(65u << 20, 'x'));  // past the 64 MiB a master takes
    rogue.send(huge);
    const auto result = run.result();
    CHECK(result["totals"]["requests"] == 10);  // what came before it counts
    REQUIRE(result["workers"].size() == 1);
    CHECK(result["workers"][0]["state"] == "lost");
    // The worker's own word on what it counted never arrived with it: only its loss is known.
    REQUIRE(result["data_gaps"].size() == 1);
}

TEST_CASE("snapshots a worker says it made but never sent are a gap the result names", "[rogue]") {
    lying_run run;
    rogue_worker rogue(run.port, "forgetful");
    rogue.ready();
    auto s = honest_snapshot(1, 10);
    s.mutable_heartbeat()->set_last_sequence(4);  // 2, 3 and 4 were made; none arrives
    s.mutable_heartbeat()->set_requests_counted(10);
    CHECK(rogue.send(s));
    rogue.finish(1);  // and it stops claiming only 1
    const auto result = run.result();
    CHECK(run.code == 4);
    REQUIRE(result["data_gaps"].size() == 1);
    CHECK(result["data_gaps"][0]["reason"] == "it made 4 snapshot(s), of which 1 reached the master");
}
