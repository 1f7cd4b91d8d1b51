// The user runtime through a scripted exchange: no socket, no protocol. What the runtime
// decides (which steps run in which order, what counts as failed, what is skipped, where a
// latency starts) is checked against what the exchange was asked and what the shard holds.
#include "worker/user_runtime.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "scenario/loader/scenario_loader.hpp"
#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/think_gate.hpp"

using namespace stampede;
using namespace stampede::worker;
using namespace std::chrono_literals;

namespace {

// Answers every step with a canned response and writes down each step's rendered path; it
// retires the user after `exchanges_before_retiring` exchanges.
class scripted_user final : public user_runtime {
public:
    scripted_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int exchanges_before_retiring,
                  std::vector<std::string>* log = nullptr)
        : user_runtime(thread, std::move(scenario), 0, 42), log_(log), left_(exchanges_before_retiring) {}

    void cut_off() override {}

    unsigned status = 200;
    std::string body = R"({"token": "t-1"})";

private:
    boost::asio::awaitable<exchange_result> exchange(const prepared_step& step) override {
        std::string path;
        lang::render_template(step.spec->request.path, *this, path);
        if (log_) log_->push_back(path);
        if (--left_ == 0) retire();
        if (step.keeps_response) kept().body = body;
        co_return exchange_result{exchange_outcome::ok, static_cast<std::uint16_t>(status), 0, body.size()};
    }

    std::vector<std::string>* log_;
    int left_;
};

// A gate that lets a user through so many times, the second time as if its iteration had
// been due 300 ms before; it notes each pass and the user's leaving.
struct counting_gate final : iteration_gate {
    int passes_left;
    int passed = 0;
    int left = 0;
    explicit counting_gate(int passes) : passes_left(passes) {}
    boost::asio::awaitable<bool> pass(gate_seat& seat, const user_handle& user, rng&) override {
        if (user.retiring() || passes_left-- == 0) co_return false;
        if (++passed == 2) seat.intended = std::chrono::steady_clock::now() - 300ms;
        co_return true;
    }
    void leave(gate_seat&) override { ++left; }
};

struct harness {
    io_thread thread;
    std::shared_ptr<const prepared_scenario> prepared;
    lang::scenario sc;
    std::vector<std::unique_ptr<iteration_gate>> gates;  // as the engine makes them: each class's think time

    explicit harness(const std::string& yaml) : harness(load(yaml)) {}

    // Runs `user` to its end on this thread's context, as the engine would.
    void run(std::unique_ptr<user_runtime> user) {
        start_user(thread, std::move(user));
        thread.work.reset();
        thread.io.run_for(5s);
        REQUIRE(thread.alive == 0);
    }
    const stats::endpoint_stats& endpoint(const std::string& name) const {
        for (std::size_t id = 0; id < sc.endpoints.size(); ++id)
            if (sc.endpoints[id].name == name) return thread.shard.endpoints.at(id);
        FAIL("no endpoint " << name);
        throw;
    }

private:
    explicit harness(lang::scenario loaded)
        : thread(loaded.endpoints.size(), loaded.checks.size()), sc(std::move(loaded)) {
        auto made = prepare_scenario(sc);
        REQUIRE(made.ok());
        prepared = *made;
        for (const auto& cls : sc.user_classes) {
            gates.push_back(std::make_unique<think_gate>(cls.wait));
            thread.gates.push_back(gates.back().get());
        }
    }
    static lang::scenario load(const std::string& yaml) {
        auto loaded = lang::load_scenario_text(yaml, "s.yaml");
        REQUIRE(loaded.ok());
        return std::move(*loaded.value);
    }
};

}  // namespace

TEST_CASE("a user runs on_start once, then its tasks, then on_stop, each through its exchange", "[runtime]") {
    harness h(R"(host: http://127.0.0.1:9
user_classes:
  - on_start: [{name: login, method: POST, path: /login, extract: {token: {json: token}}}]
    on_stop: [{name: logout, path: "/logout/{{ token }}"}]
    tasks:
      - {name: work, path: "/work/{{ token }}"}
)");
    std::vector<std::string> paths;  // outlives the user, which is freed when it ends
    h.run(std::make_unique<scripted_user>(h.thread, h.prepared, 4, &paths));
    // The extracted token reaches the templated paths; on_stop runs after the retirement.
    CHECK(paths == std::vector<std::string>{"/login", "/work/t-1", "/work/t-1", "/work/t-1", "/logout/t-1"});
    CHECK(h.endpoint("login").requests == 1);
    CHECK(h.endpoint("work").requests == 3);
    CHECK(h.endpoint("logout").requests == 1);
    CHECK(h.endpoint("work").failures == 0);
}

TEST_CASE("status, checks and extractions decide failure, and a step missing its variable is skipped", "[runtime]") {
    harness h(R"(host: http://127.0.0.1:9
user_classes:
  - tasks:
      - name: find and use
        steps:
          - {name: find, path: /find, expect_status: 201, extract: {id: {json: missing}}}
          - {name: use, path: "/use/{{ id }}"}
)");
    h.run(std::make_unique<scripted_user>(h.thread, h.prepared, 3));
    const auto& find = h.endpoint("find");
    CHECK(find.requests == 3);
    CHECK(find.failures == 3);  // 200 where 201 was expected; the retirement ends the third sequence
    CHECK(h.endpoint("use").requests == 0);
    CHECK(h.thread.shard.skipped.at(1) == 2);  // endpoint ids in the order steps appear
    bool status_row = false;
    for (const auto& [key, record] : h.thread.shard.errors)
        if (key.kind == stats::error_kind::http_status && key.code == 200) status_row = record.count == 3;
    CHECK(status_row);
}

TEST_CASE("a step's latency can be measured from the moment it was meant to start", "[runtime]") {
    harness h(R"(host: http://127.0.0.1:9
user_classes:
  - tasks: [{name: on time, path: /}]
)");
    auto late = std::make_unique<scripted_user>(h.thread, h.prepared, 1);
    late->measure_next_from(std::chrono::steady_clock::now() - 300ms);
    h.run(std::move(late));
    const auto& stats = h.endpoint("on time");
    REQUIRE(stats.requests == 1);
    CHECK(stats.latency.max() >= 300'000);  // microseconds: the wait before the send counts

    harness prompt(R"(host: http://127.0.0.1:9
user_classes:
  - tasks: [{name: on time, path: /}]
)");
    prompt.run(std::make_unique<scripted_user>(prompt.thread, prompt.prepared, 1));
    CHECK(prompt.endpoint("on time").latency.max() < 300'000);
}

TEST_CASE("a user passes its class's gate before each iteration and leaves it when it ends", "[runtime]") {
    harness h(R"(host: http://127.0.0.1:9
user_classes:
  - tasks: [{name: work, path: /work}]
)");
    counting_gate gate(3);
    h.thread.gates[0] = &gate;
    h.run(std::make_unique<scripted_user>(h.thread, h.prepared, 100));
    CHECK(gate.passed == 3);
    CHECK(gate.left == 1);
    const auto& work = h.endpoint("work");
    CHECK(work.requests == 3);
    CHECK(work.latency.max() >= 300'000);  // the iteration the gate said was due earlier
    CHECK(work.latency.min() < 300'000);
}

TEST_CASE("a closed class's gate paces its iterations: each starts an interval after the last", "[runtime]") {
    harness h(R"(host: http://127.0.0.1:9
user_classes:
  - wait_time: {pacing: 40ms}
    tasks: [{name: work, path: /work}]
)");
    const auto began = std::chrono::steady_clock::now();
    h.run(std::make_unique<scripted_user>(h.thread, h.prepared, 4));
    CHECK(h.endpoint("work").requests == 4);
    CHECK(std::chrono::steady_clock::now() - began >= 120ms);  // three intervals between four starts
}
