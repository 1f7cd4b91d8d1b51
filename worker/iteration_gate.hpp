#pragma once
// What a user waits on before each iteration of its tasks: the seam between what a user does
// (user_runtime) and the load model that paces it. A closed class's gate is its think time or
// pacing (think_gate); an open class's is its thread's arrival pacer (arrival_pacer), which
// hands a waiting user an arrival. One gate per io thread and class, installed on the thread
// by the engine; the runtime knows only this interface, and a gate knows of a user only its
// seat.
#include <chrono>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "worker/rng.hpp"

namespace stampede::worker {

class user_handle;

// A user's place at its gate: the timer it sleeps on, and what the gate says of its iteration.
struct gate_seat {
    using clock = std::chrono::steady_clock;
    explicit gate_seat(boost::asio::io_context& io) : timer(io) {}

    boost::asio::steady_timer timer;  // cancelled to wake the user (an arrival, a retirement)
    clock::time_point intended{};     // when the iteration was meant to start; the epoch: now
    clock::time_point started{};      // when the user's last iteration started; the epoch: none yet
};

class iteration_gate {
public:
    virtual ~iteration_gate() = default;
    // Waits until `user` may start its next iteration. True: it starts now, measured from
    // `seat.intended` when the gate set one (the coordinated-omission correction); false: the
    // user retires instead. `random` is the user's generator.
    virtual boost::asio::awaitable<bool> pass(gate_seat& seat, const user_handle& user, rng& random) = 0;
    // The user is ending: the gate keeps nothing of its seat.
    virtual void leave(gate_seat& seat) = 0;
};

}  // namespace stampede::worker
