#include "worker/user_runtime.hpp"

#include <algorithm>
#include <atomic>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "worker/think_gate.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
using stats::error_kind;
using common::micros;

user_runtime::user_runtime(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
                           std::uint64_t seed)
    : user_handle(class_index),
      thread_(thread),
      scenario_(std::move(scenario)),
      seat_(thread.io),
      rng_(seed),
      index_(scenario_->users_started.fetch_add(1, std::memory_order_relaxed)) {
    if (scenario_->stateful) {
        const auto& sc = *scenario_->sc;
        state_ = std::make_unique<user_state>();
        state_->variables.resize(sc.variables.size());
        state_->rows.assign(sc.data.size(), -1);
        state_->own_cursors.assign(sc.data.size(), 0);
    }
}

std::string_view user_runtime::variable(std::uint32_t slot) {
    const auto& v = state_->variables[slot];
    return v ? std::string_view(*v) : std::string_view();
}

std::uint64_t user_runtime::next_global_counter() {
    return scenario_->global_counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::string_view user_runtime::data_value(std::uint32_t set, std::uint32_t column) {
    const auto& data = scenario_->sc->data[set];
    auto& row = state_->rows[set];
    if (row < 0) {
        const auto count = data.rows.size();
        std::uint64_t pick = 0;
        if (data.pick == lang::data_set::order::random) pick = rng_.below(count);
        else if (data.sharing == lang::data_set::scope::per_user) pick = state_->own_cursors[set]++ % count;
        else pick = scenario_->data_cursors[set].fetch_add(1, std::memory_order_relaxed) % count;
        row = static_cast<std::int64_t>(pick);
    }
    return data.rows[static_cast<std::size_t>(row)][column];
}

kept_response& user_runtime::kept() {
    if (!kept_) kept_ = std::make_unique<kept_response>();
    return *kept_;
}

const prepared_task& user_runtime::pick_task() {
    const auto& cls = user_class();
    const auto& weights = cls.cumulative_weight;
    if (weights.size() == 1) return cls.tasks.front();
    const auto roll = rng_.below(weights.back());
    const auto it = std::upper_bound(weights.begin(), weights.end(), roll);
    return cls.tasks[static_cast<std::size_t>(it - weights.begin())];
}

// Each iteration draws fresh data rows, at most one per data set.
void user_runtime::start_iteration() {
    if (state_) std::fill(state_->rows.begin(), state_->rows.end(), -1);
}

void user_runtime::set_vars() {
    for (const auto& v : user_class().spec->vars) {
        std::string value;
        lang::render_template(v.value, *this, value);
        state_->variables[v.slot] = std::move(value);
    }
}

bool user_runtime::has_needed_variables(const lang::step_spec& step) const {
    for (auto slot : step.request.variables)
        if (!state_->variables[slot]) return false;
    return true;
}

void user_runtime::record_status(const lang::step_spec& spec, unsigned status, bool status_ok) {
    if (status_ok) return;
    std::string expected = spec.request.expect_status.empty() ? "a status below 400" : "";
    for (int s : spec.request.expect_status) expected += (expected.empty() ? "" : " or ") + std::to_string(s);
    count_failure(thread_, spec.endpoint_id, error_kind::http_status, static_cast<int>(status),
                  "HTTP " + std::to_string(status) + " (expected " + expected + ")");
}

// Runs the step's JSON-RPC, check and extraction rules on a response. Every check is
// tallied; the request fails on the first hard reason, which is the one recorded.
bool user_runtime::inspect(const prepared_step& step, unsigned status, micros latency, bool status_ok) {
    const auto& spec = *step.spec;
    lang::response_view view;
    view.status = status;
    view.latency = latency;
    if (step.keeps_response) kept().describe(view);  // else its checks read only the status and the latency
    lang::response_inspector inspector(view);
    bool failed = !status_ok;
    if (spec.request.jsonrpc && !failed) {
        if (auto answered = inspector.jsonrpc_result(); !answered) {
            count_failure(thread_, spec.endpoint_id, error_kind::jsonrpc, 0, answered.error());
            failed = true;
        }
    }
    for (const auto& check : spec.checks) {
        std::string rendered;  // only a templated expected value is rendered; a constant one is read in place
        if (!check.expected.text.constant()) lang::render_template(check.expected.text, *this, rendered);
        const auto passed =
            inspector.check(check, check.expected.text.constant() ? std::string_view(check.expected.text.text()) : rendered);
        auto& tally = thread_.shard.checks[check.id];
        if (passed) {
            ++tally.passed;
            continue;
        }
        ++tally.failed;
        if (check.soft || failed) continue;
        count_failure(thread_, spec.endpoint_id, error_kind::check, static_cast<int>(check.id),
                      "check failed: " + check.description + ": " + passed.error());
        failed = true;
    }
    for (const auto& e : spec.extracts) {
        auto value = inspector.extract(e);
        if (value) {
            state_->variables[e.slot] = std::move(*value);
            continue;
        }
        state_->variables[e.slot].reset();
        if (failed) continue;
        count_failure(thread_, spec.endpoint_id, error_kind::extract, static_cast<int>(e.slot),
                      "extract " + e.variable + ": " + value.error());
        failed = true;
    }
    return !failed;
}

void user_runtime::forget_extracted(const lang::step_spec& step) {
    for (const auto& e : step.extracts) state_->variables[e.slot].reset();
}

bool user_runtime::skip(const prepared_step& step) {
    if (!state_ || has_needed_variables(*step.spec)) return false;
    ++thread_.shard.skipped[step.spec->endpoint_id];  // an extraction it depends on failed or has not run
    return true;
}

// When the step's latency is measured from: the moment it is sent, or the intended start a
// gate set for this iteration when that was earlier (taken once: the next step is on time).
user_runtime::clock::time_point user_runtime::measured_from(clock::time_point sent) {
    if (seat_.intended == clock::time_point{}) return sent;
    return std::min(sent, std::exchange(seat_.intended, {}));
}

// A step's outcome into the shard: its status and checks judged, its latency, bytes and
// failure recorded.
void user_runtime::record(const prepared_step& step, const exchange_result& result, clock::time_point start,
                          clock::time_point sent) {
    const auto& spec = *step.spec;
    if (result.outcome == exchange_outcome::cancelled) {
        ++thread_.shard.cancelled;
        return;
    }
    const auto now = clock::now();
    const auto elapsed = std::chrono::duration_cast<micros>(now - start);
    if (step.records_uncorrected)
        thread_.shard.endpoints[spec.endpoint_id].uncorrected.record(
            static_cast<std::uint64_t>(std::chrono::duration_cast<micros>(now - sent).count()));
    bool failed = result.outcome == exchange_outcome::failed;
    if (!failed) {
        const auto& expected = spec.request.expect_status;
        const bool status_ok = expected.empty() ? result.status < 400
                                                : std::find(expected.begin(), expected.end(),
                                                            static_cast<int>(result.status)) != expected.end();
        record_status(spec, result.status, status_ok);
        failed = step.inspects ? !inspect(step, result.status, elapsed, status_ok) : !status_ok;
    } else if (state_) {
        forget_extracted(spec);
    }
    auto& counted = thread_.shard.endpoints[spec.endpoint_id];
    counted.record(static_cast<std::uint64_t>(elapsed.count()), result.body_bytes, failed);
    counted.messages += result.messages;
}

// The exchange is awaited here, in the loop's own frame: a coroutine per step would cost a
// frame per request.
asio::awaitable<bool> user_runtime::run_steps(const std::vector<prepared_step>& steps, sequence_end end) {
    bool sent = false;
    for (const auto& step : steps) {
        if (!skip(step)) {
            const auto sent_at = clock::now();
            const auto start = measured_from(sent_at);
            record(step, co_await exchange(step), start, sent_at);
            sent = true;
        }
        if (end == sequence_end::at_stop && retiring()) break;  // a stop ends a task between steps
        if (step.spec->think) co_await think(seat_.timer, *step.spec->think, rng_);
        if (end == sequence_end::at_cut_off && retiring() && thread_.cutting_off) break;
    }
    co_return sent;
}

asio::awaitable<void> user_runtime::run() {
    if (state_) set_vars();
    if (!user_class().on_start.empty() && !retiring()) {
        start_iteration();
        co_await run_steps(user_class().on_start, sequence_end::at_cut_off);
    }
    auto& gate = thread_.gate_of(class_index());
    while (co_await gate.pass(seat_, *this, rng_)) {
        start_iteration();
        const bool sent = co_await run_steps(pick_task().steps, sequence_end::at_stop);
        if (retiring()) break;
        // An iteration whose steps were all skipped never waited on anything: it gives the
        // thread back once, so a user that can send nothing cannot hold its thread (and the stop).
        if (!sent) co_await asio::post(thread_.io, asio::use_awaitable);
    }
    seat_.intended = {};
    gate.leave(seat_);
    if (!user_class().on_stop.empty() && !thread_.cutting_off) {
        start_iteration();
        co_await run_steps(user_class().on_stop, sequence_end::at_cut_off);
    }
}

void start_user(io_thread& thread, std::unique_ptr<user_runtime> user) {
    thread.users.push_back(*user);
    thread.alive.fetch_add(1, std::memory_order_release);
    auto main = [](io_thread& t, std::unique_ptr<user_runtime> u) -> asio::awaitable<void> {
        try {
            co_await u->run();
        } catch (const std::exception& ex) {  // a broken invariant, not a request failure
            spdlog::error("a user ended on an unexpected error: {}", ex.what());
        }
        u.reset();  // unlinks itself from the thread's user list
        t.alive.fetch_sub(1, std::memory_order_release);
    };
    asio::co_spawn(thread.io, main(thread, std::move(user)), asio::detached);
}

}  // namespace stampede::worker
