#include "worker/snapshot_outbox.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace stampede;
using worker::outgoing_snapshot;
using worker::snapshot_outbox;

namespace {

stats::stats_delta requests(std::uint64_t n) {
    stats::stats_delta d(1, 0);
    for (std::uint64_t i = 0; i < n; ++i) d.endpoints[0].record(1000, 10, false);
    return d;
}

// Sends every unsent snapshot; the sequences and request counts it sent, in order.
std::vector<std::pair<std::uint64_t, std::uint64_t>> send_all(snapshot_outbox& box, int fail_at = -1,
                                                               std::int64_t now_ms = 0) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> sent;
    int i = 0;
    box.send_unsent([&](const outgoing_snapshot& s, bool) {
        if (i++ == fail_at) return false;
        sent.emplace_back(s.sequence, s.delta.total_requests());
        return true;
    }, false, now_ms);
    return sent;
}

}  // namespace

TEST_CASE("snapshots are numbered from what the master has, sent once, and kept until acknowledged", "[outbox]") {
    snapshot_outbox box(600);
    box.start_run(0);
    box.add(requests(3));
    box.add(stats::stats_delta(1, 0));  // nothing counted: no snapshot
    box.add(requests(2));
    CHECK(box.last_sequence() == 2);
    CHECK(box.requests_counted() == 5);
    CHECK(send_all(box) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 3}, {2, 2}});
    CHECK(send_all(box).empty());  // already sent
    CHECK(box.kept() == 2);
    box.acknowledge(1);
    CHECK(box.kept() == 1);
    box.start_run(41);  // a new run whose master already had 41
    box.add(requests(1));
    CHECK(box.last_sequence() == 42);
    CHECK(box.requests_counted() == 1);
}

TEST_CASE("after a reconnect what the master lacks goes again, in order", "[outbox]") {
    snapshot_outbox box(600);
    box.start_run(0);
    for (int i = 1; i <= 4; ++i) box.add(requests(static_cast<std::uint64_t>(i)));
    CHECK(send_all(box, 2).size() == 2);  // the third write fails: the link broke
    box.resend_after(1);                    // the welcome says the master has 1
    CHECK(send_all(box) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{2, 2}, {3, 3}, {4, 4}});
}

TEST_CASE("past its capacity the outbox merges into the newest unsent snapshot, never a sent one", "[outbox]") {
    snapshot_outbox box(2);
    box.start_run(0);
    box.add(requests(1));
    box.add(requests(1));
    box.add(requests(5));  // full: merged into snapshot 2, which no master has
    CHECK(box.kept() == 2);
    CHECK(box.last_sequence() == 2);
    CHECK(send_all(box) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 1}, {2, 6}});
    box.add(requests(4));  // full, but the newest was sent: a snapshot of its own
    CHECK(box.kept() == 3);
    CHECK(send_all(box) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{3, 4}});
    CHECK(box.requests_counted() == 11);
}

TEST_CASE("the newest snapshot of a batch is told it is the last", "[outbox]") {
    snapshot_outbox box(600);
    box.start_run(0);
    box.add(requests(1));
    box.add(requests(1));
    std::vector<bool> lasts;
    box.send_unsent([&](const outgoing_snapshot&, bool last) {
        lasts.push_back(last);
        return true;
    });
    CHECK(lasts == std::vector<bool>{false, true});
}

TEST_CASE("a link behind: past max_in_flight unacknowledged, the next snapshot waits and later intervals merge into it",
          "[outbox]") {
    snapshot_outbox box(600, 2);
    box.start_run(0);
    box.add(requests(1), 1000);
    box.add(requests(1), 2000);
    CHECK(send_all(box).size() == 2);  // two in flight: the most
    CHECK(box.in_flight() == 2);
    box.add(requests(3), 3000);
    CHECK(send_all(box).empty());  // waits for an acknowledgement
    box.add(requests(4), 4000);    // merged into the one waiting
    box.add(requests(5), 5000);
    CHECK(box.kept() == 3);
    CHECK(box.merged_intervals() == 2);
    box.acknowledge(2);
    std::vector<std::int64_t> covered;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> sent;
    box.send_unsent([&](const outgoing_snapshot& s, bool) {
        sent.emplace_back(s.sequence, s.delta.total_requests());
        covered.push_back(s.covered_until_ms);
        return true;
    });
    CHECK(sent == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{3, 12}});
    CHECK(covered == std::vector<std::int64_t>{5000});  // it covers up to the last interval merged into it
    CHECK(box.requests_counted() == 14);
}

TEST_CASE("after a reconnect the resends go at most max_in_flight at a time, a stopping worker's all at once",
          "[outbox]") {
    snapshot_outbox box(600, 2);
    box.start_run(0);
    for (int i = 1; i <= 4; ++i) box.add(requests(1), i * 1000);  // cut off: nothing sent
    box.resend_after(0);
    CHECK(send_all(box) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 1}, {2, 1}});
    box.acknowledge(2);
    CHECK(send_all(box) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{3, 1}, {4, 1}});
    CHECK(box.merged_intervals() == 0);  // each kept its own span
    box.add(requests(1), 5000);
    box.add(requests(1), 6000);  // behind: merged into 5
    CHECK(box.merged_intervals() == 1);
    // A stopping worker's last words: everything, whatever is in flight.
    std::vector<std::uint64_t> sequences;
    box.send_unsent([&](const outgoing_snapshot& s, bool) {
        sequences.push_back(s.sequence);
        return true;
    }, true);
    CHECK(sequences == std::vector<std::uint64_t>{5});
    CHECK(box.in_flight() == 3);
}

TEST_CASE("a link behind by time: a snapshot unacknowledged 2.5 s after it was sent holds the next back", "[outbox]") {
    snapshot_outbox box(600, 8);
    box.start_run(0);
    for (int i = 1; i <= 3; ++i) {
        box.add(requests(1), i * 1000);
        CHECK(send_all(box, -1, i * 1000).size() == 1);  // each goes at once: none acknowledged yet, none long
    }
    box.add(requests(1), 3500);
    CHECK(send_all(box, -1, 3500).empty());  // snapshot 1, sent at 1 s, still unacknowledged at 3.5 s
    box.add(requests(2), 4500);              // merged into the one held back
    CHECK(box.merged_intervals() == 1);
    box.acknowledge(3);
    CHECK(send_all(box, -1, 4600) == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{4, 3}});
    // Counts taken while no master heard the worker keep their own snapshots, behind or not.
    box.add(requests(1), 9000, true);
    box.add(requests(1), 9000, true);
    CHECK(box.merged_intervals() == 1);
    CHECK(box.kept() == 3);
}
