#pragma once
// The user runtime: what a user does whatever protocol it speaks. It runs on_start, then
// weighted tasks (one step or a sequence) with their think time or pacing, then on_stop; it
// keeps the user's variables and data rows and answers templates from them. Each step goes
// through the exchange (the protocol: worker/exchange.hpp) and comes back as an outcome; the status
// check, the response checks, the extractions and the latency are recorded here, into the
// thread's shard, without locks.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>

#include "scenario/response_checks.hpp"
#include "scenario/template.hpp"
#include "worker/exchange.hpp"
#include "worker/io_thread.hpp"
#include "worker/iteration_gate.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/rng.hpp"

namespace stampede::worker {

// A user's variables and data rows; only users of scenarios that have any carry one.
struct user_state {
    std::vector<std::optional<std::string>> variables;
    std::vector<std::int64_t> rows;          // current row per data set; -1: none yet this iteration
    std::vector<std::uint64_t> own_cursors;  // per-user cursors (scope: per_user)
};

class user_runtime : public user_handle, public exchange_context {
public:
    using clock = std::chrono::steady_clock;

    user_runtime(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
                 std::uint64_t seed);

    boost::asio::awaitable<void> run();

    // The next step's latency is measured from `intended` when that is earlier than the
    // moment it is sent, so a late start counts as waiting (the coordinated-omission
    // correction). An open class's gate sets it for each arrival.
    void measure_next_from(clock::time_point intended) { seat_.intended = intended; }

    // template_context: the exchange renders requests with it.
    std::uint64_t random_below(std::uint64_t bound) override { return rng_.below(bound); }
    std::string_view variable(std::uint32_t slot) override;
    bool has_variable(std::uint32_t slot) override { return state_->variables[slot].has_value(); }
    std::string_view data_value(std::uint32_t set, std::uint32_t column) override;
    std::uint64_t next_counter() override { return ++counter_; }
    std::uint64_t next_global_counter() override;
    std::uint64_t user_index() override { return index_; }
    // exchange_context: made on the first step that keeps its response.
    kept_response& kept() override;

protected:
    // One step's request and response, in the protocol the user speaks; a step that keeps its
    // response leaves it in kept().
    virtual boost::asio::awaitable<exchange_result> exchange(const prepared_step& step) = 0;
    void wake() override { seat_.timer.cancel(); }

    io_thread& thread_;
    std::shared_ptr<const prepared_scenario> scenario_;

private:
    const prepared_task& pick_task();
    void start_iteration();
    void set_vars();
    bool has_needed_variables(const lang::step_spec& step) const;
    // Where a sequence may end early: a task's steps end at a stop (between steps); on_start
    // and on_stop run through a stop and end only when the user is cut off.
    enum class sequence_end { at_stop, at_cut_off };
    // Runs `steps` in order, each with its think time; whether any was sent (not skipped).
    boost::asio::awaitable<bool> run_steps(const std::vector<prepared_step>& steps, sequence_end end);
    // A step whose variables are not all set is skipped (and counted): true then.
    bool skip(const prepared_step& step);
    clock::time_point measured_from(clock::time_point sent);
    void record(const prepared_step& step, const exchange_result& result, clock::time_point start, clock::time_point sent);
    void record_status(const lang::step_spec& spec, unsigned status, bool status_ok);
    bool inspect(const prepared_step& step, unsigned status, common::micros latency, bool status_ok);
    void forget_extracted(const lang::step_spec& step);

    // A user is one allocation of about 500 bytes, a hundred thousand per worker: no member
    // here that can be derived (the class is scenario_->classes[class_index()]).
    const prepared_class& user_class() const { return scenario_->classes[static_cast<std::size_t>(class_index())]; }
    gate_seat seat_;  // its place at its class's iteration gate; its timer serves think times too
    rng rng_;
    std::uint64_t index_;
    std::uint64_t counter_ = 0;
    std::unique_ptr<user_state> state_;
    std::unique_ptr<kept_response> kept_;
};

// Runs `user` on `thread` until it ends, then frees it. Must run on that thread.
void start_user(io_thread& thread, std::unique_ptr<user_runtime> user);

}  // namespace stampede::worker
