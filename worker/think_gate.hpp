#pragma once
// The closed model's gate: a user starts its first iteration at once, and each next one after
// its class's wait time (constant, or between two bounds), or, with pacing, once the interval
// since the last one started has passed. Also the wait a step's own `think` makes.
#include "scenario/scenario.hpp"
#include "worker/iteration_gate.hpp"

namespace stampede::worker {

// Sleeps on `timer` for `wait` (a random length within its bounds, from `random`); with
// pacing, for what remains of the interval `since_start` has begun.
boost::asio::awaitable<void> think(boost::asio::steady_timer& timer, const lang::wait_time& wait, rng& random,
                                   common::micros since_start = common::micros(0));

class think_gate final : public iteration_gate {
public:
    explicit think_gate(const lang::wait_time& wait) : wait_(wait) {}

    boost::asio::awaitable<bool> pass(gate_seat& seat, const user_handle& user, rng& random) override;
    void leave(gate_seat&) override {}

private:
    const lang::wait_time& wait_;
};

}  // namespace stampede::worker
