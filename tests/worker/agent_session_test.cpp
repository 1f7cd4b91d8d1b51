// A worker's dealings with its master through a fake link: what each message from the master
// does, what the worker says and when. The run sessions are real (engines on loopback, the
// target a closed port); times are real with margins far above the session's own (20-100 ms).
#include "worker/agent_session.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <thread>

using namespace stampede;
using namespace stampede::worker;
using namespace std::chrono_literals;

namespace {

// What the worker said, as the master would read it (a snapshot's delta lives only during send).
struct said {
    std::string kind;
    std::uint64_t sequence = 0;        // a snapshot's, or a state's last sequence
    std::uint64_t requests = 0;        // a snapshot's
    wire::worker_state_kind state{};   // a state change's
    std::string text;                  // a state's detail, a goodbye's reason
};

class fake_link final : public master_link {
public:
    std::size_t oversized_snapshots = 0;  // when set, every snapshot is this large: never sent
    std::vector<said> sent;

    wire::send_result send(const wire::worker_outgoing& message) override {
        said s;
        if (const auto* snap = std::get_if<wire::outgoing_snapshot>(&message)) {
            if (oversized_snapshots) return {false, oversized_snapshots};
            s = {"snapshot", snap->sequence, snap->delta->total_requests()};
        } else if (const auto* st = std::get_if<wire::state_change>(&message)) {
            s = {"state", st->last_sequence, 0, st->state, st->detail};
        } else if (const auto* bye = std::get_if<wire::goodbye>(&message)) {
            s = {"goodbye", 0, 0, {}, bye->reason};
        } else if (std::holds_alternative<wire::heartbeat>(message)) {
            s.kind = "heartbeat";
        } else {
            s.kind = "hello";
        }
        sent.push_back(s);
        return {true, 0};
    }
    int count(const std::string& kind) const {
        int n = 0;
        for (const auto& s : sent) n += s.kind == kind;
        return n;
    }
    const said* last(const std::string& kind) const {
        for (auto it = sent.rbegin(); it != sent.rend(); ++it)
            if (it->kind == kind) return &*it;
        return nullptr;
    }
};

session_options options(common::micros master_timeout = 5s) {
    session_options o;
    o.worker_id = "w-1";
    o.threads = 1;
    o.master_timeout = master_timeout;
    o.stop_grace = 1s;
    return o;
}

// A run against a port nothing listens on: every request fails at once, and is counted.
wire::welcome welcome(std::string run_id = "run-1", std::string yaml = {}) {
    auto plan = std::make_shared<lang::run_plan>();
    plan->scenario_path = "s.yaml";
    plan->scenario_yaml = yaml.empty() ? "host: http://127.0.0.1:1\nuser_classes:\n  - wait_time: {constant: 50ms}\n    tasks: [{path: /}]\n"
                                       : yaml;
    return {std::move(run_id), plan, 0, 100, 100, 5000, 0, false};
}

// Ticks the session as the stream loop does, for `d`; the end, if one came.
std::optional<session_end> tick_for(agent_session& s, common::micros d, bool stop_requested = false) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < until) {
        if (auto end = s.tick(stop_requested)) return end;
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("a welcome opens the run and is answered ready, and the worker's hello names that run on its return", "[agent]") {
    agent_session s(options());
    fake_link link;
    s.stream_opened(link);
    CHECK(s.greeting("n", "m").run_id.empty());
    CHECK_FALSE(s.handle(welcome()));
    CHECK(s.welcomed());
    REQUIRE(link.last("state"));
    CHECK(link.last("state")->state == wire::worker_state_kind::ready);
    const auto hello = s.greeting("n", "m");
    CHECK(hello.run_id == "run-1");
    CHECK(hello.worker_id == "w-1");
    CHECK(hello.master_timeout_ms == 5000);
    CHECK(hello.threads == 1);
}

TEST_CASE("assigned users' counts go in sequenced snapshots, one per interval, each acknowledged in turn", "[agent]") {
    agent_session s(options());
    fake_link link;
    s.stream_opened(link);
    REQUIRE_FALSE(s.handle(welcome()));
    CHECK_FALSE(s.handle(wire::assignment{{2}, 100, 0, 0, 0, 0}));
    CHECK_FALSE(tick_for(s, 1500ms));  // the first boundary is by the interval before the welcome: up to 1 s
    CHECK(s.current_users() == 2);
    REQUIRE(link.count("snapshot") >= 3);  // 100 ms intervals; at most four wait unacknowledged
    CHECK(link.last("snapshot")->sequence == static_cast<std::uint64_t>(link.count("snapshot")));
    CHECK(link.count("heartbeat") >= 1);  // the user count moved
    CHECK_FALSE(s.handle(wire::ack{link.last("snapshot")->sequence}));
    s.stop_users(0s);
    std::uint64_t counted = 0;
    for (const auto& m : link.sent) counted += m.kind == "snapshot" ? m.requests : 0;
    CHECK(counted <= s.requests_counted());
    CHECK(s.requests_counted() > 0);
}

TEST_CASE("a stop ends the users, sends their last counts and confirms with the last sequence", "[agent]") {
    agent_session s(options());
    fake_link link;
    s.stream_opened(link);
    REQUIRE_FALSE(s.handle(welcome()));
    REQUIRE_FALSE(s.handle(wire::assignment{{1}, 100, 0, 0, 0, 0}));
    CHECK_FALSE(tick_for(s, 1200ms));
    CHECK_FALSE(s.handle(wire::stop{500}));
    CHECK_FALSE(tick_for(s, 800ms));
    CHECK(s.current_users() == 0);
    const auto* stopped = link.last("state");
    REQUIRE(stopped);
    CHECK(stopped->state == wire::worker_state_kind::stopped);
    REQUIRE(link.last("snapshot"));
    CHECK(stopped->sequence == link.last("snapshot")->sequence);  // every snapshot it made went first
}

TEST_CASE("a signal stops the users, sends what they counted and says goodbye", "[agent]") {
    agent_session s(options());
    fake_link link;
    s.stream_opened(link);
    REQUIRE_FALSE(s.handle(welcome()));
    REQUIRE_FALSE(s.handle(wire::assignment{{1}, 100, 0, 0, 0, 0}));
    CHECK_FALSE(tick_for(s, 1200ms));
    CHECK(tick_for(s, 2s, true) == session_end::interrupted);
    REQUIRE(link.last("goodbye"));
    CHECK(link.last("goodbye")->text == "interrupted");
    CHECK(link.count("snapshot") >= 1);
}

TEST_CASE("a quit, a refusal and a plan that does not load end the session, each its own way", "[agent]") {
    agent_session quitting(options());
    fake_link a;
    quitting.stream_opened(a);
    REQUIRE_FALSE(quitting.handle(welcome()));
    CHECK(quitting.handle(wire::quit{"done"}) == session_end::quit);
    CHECK(a.last("goodbye")->text == "the master ended the run");

    agent_session refused(options());
    fake_link b;
    refused.stream_opened(b);
    CHECK(refused.handle(wire::refusal{"wrong token"}) == session_end::refused);

    agent_session failing(options());
    fake_link c;
    failing.stream_opened(c);
    CHECK(failing.handle(welcome("run-1", "host: [")) == session_end::failed);
    REQUIRE(c.last("state"));
    CHECK(c.last("state")->state == wire::worker_state_kind::failed);
    CHECK(c.last("state")->text.find("s.yaml") != std::string::npos);
}

TEST_CASE("a handled batch goes on past a failed write: a quit behind it still ends the session", "[agent]") {
    agent_session s(options());
    fake_link link;
    s.stream_opened(link);
    std::deque<wire::master_message> batch{welcome(), wire::ping{}, wire::quit{"over"}};
    CHECK(s.handle_all(batch) == session_end::quit);
}

TEST_CASE("a snapshot too large for the channel fails the worker, said to the master, never resent", "[agent]") {
    agent_session s(options());
    fake_link link;
    s.stream_opened(link);
    REQUIRE_FALSE(s.handle(welcome()));
    REQUIRE_FALSE(s.handle(wire::assignment{{1}, 100, 0, 0, 0, 0}));
    link.oversized_snapshots = 70u << 20;
    CHECK(tick_for(s, 2s) == session_end::broken);
    CHECK(s.unsendable());
    REQUIRE(link.last("state"));
    CHECK(link.last("state")->state == wire::worker_state_kind::failed);
    CHECK(link.last("state")->text.find("past the control channel's") != std::string::npos);
    s.stop_users(0s);
}

TEST_CASE("a master silent past the worker's timeout ends the stream and the watchdog stops the users", "[agent]") {
    agent_session s(options(300ms));
    fake_link link;
    s.stream_opened(link);
    REQUIRE_FALSE(s.handle(welcome()));
    REQUIRE_FALSE(s.handle(wire::assignment{{1}, 100, 0, 0, 0, 0}));
    CHECK(tick_for(s, 2s) == session_end::broken);
    CHECK(s.master_silent());
    s.stream_closed();
    s.stop_if_master_silent();
    for (int i = 0; i < 50 && s.current_users() > 0; ++i) std::this_thread::sleep_for(20ms);
    CHECK(s.current_users() == 0);
}

TEST_CASE("counts taken while no stream serves are kept apart and sent on the next welcome", "[agent]") {
    agent_session s(options());
    fake_link first, second;
    s.stream_opened(first);
    REQUIRE_FALSE(s.handle(welcome()));
    REQUIRE_FALSE(s.handle(wire::assignment{{1}, 100, 0, 0, 0, 0}));
    CHECK_FALSE(tick_for(s, 1200ms));
    s.stream_closed();  // cut off: the watchdog takes the counts at each boundary
    for (int i = 0; i < 25; ++i) {
        s.collect_offline();
        std::this_thread::sleep_for(20ms);
    }
    s.stop_users(0s);
    const auto before = first.count("snapshot");
    s.stream_opened(second);
    auto again = welcome();
    again.acked_sequence = 0;  // the master applied none of them
    REQUIRE_FALSE(s.handle(again));
    // The master applies each and acknowledges it: everything kept goes, once per sequence.
    std::map<std::uint64_t, std::uint64_t> applied;
    for (int i = 0; i < 50; ++i) {
        for (const auto& m : second.sent)
            if (m.kind == "snapshot") applied[m.sequence] = m.requests;
        if (!applied.empty()) REQUIRE_FALSE(s.handle(wire::ack{applied.rbegin()->first}));
        REQUIRE_FALSE(s.tick(false));
        std::this_thread::sleep_for(20ms);
    }
    CHECK(applied.size() > static_cast<std::size_t>(before));  // the resends, then what was taken while cut off
    std::uint64_t total = 0;
    for (const auto& [sequence, requests] : applied) total += requests;
    CHECK(total == s.requests_counted());
    CHECK(total > 0);
}
