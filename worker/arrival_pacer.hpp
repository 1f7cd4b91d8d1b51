#pragma once
// The open model on one io thread, for one user class: iterations started at their intended
// times (evenly spaced, or Poisson), at this thread's part of the class's rate, by users of
// this thread's pool. A free user takes the next arrival; with none free, the pool grows (up
// to its part of max_users) for later arrivals, and this one waits for a user at most
// max_delay, or is dropped and counted: never started late in silence. Everything here runs
// on the thread; the engine reaches it by posting.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "worker/arrival_curve.hpp"
#include "worker/arrival_share.hpp"
#include "worker/io_thread.hpp"
#include "worker/iteration_gate.hpp"
#include "worker/rng.hpp"

namespace stampede::worker {

class arrival_pacer final : public iteration_gate {
public:
    using clock = std::chrono::steady_clock;

    // `grow`: starts one more user of this class on this thread.
    arrival_pacer(io_thread& thread, int class_index, const lang::arrival_spec& spec, std::uint64_t seed,
                  std::function<void()> grow);

    // Arrivals from now on as part `part` of `parts`, timed from `origin` (when the class's
    // stages began, on this clock); the pool is filled to its part of `users`.
    void start(std::uint32_t part, std::uint32_t parts, clock::time_point origin);
    void stop();  // no more arrivals; those still waiting for a user count as dropped
    // iteration_gate: a free user takes the next arrival, waiting for one when none is; each
    // iteration counted with how late it starts. A user that is ending is no longer free, no
    // longer in the pool.
    boost::asio::awaitable<bool> pass(gate_seat& seat, const user_handle& user, rng& random) override;
    void leave(gate_seat& seat) override;
    int pool_size() const { return pool_.load(std::memory_order_relaxed); }  // read from any thread

private:
    boost::asio::awaitable<void> run(std::uint64_t generation);
    void halt();  // the arrival loop ends
    double next_due_s();  // the next arrival, in seconds since the origin
    void dispatch(clock::time_point intended);
    void expire_waiting(clock::time_point now);
    // A user is free: true when an arrival was waiting (the seat's intended start is set),
    // else its seat is kept until one comes.
    bool release(gate_seat& seat);

    io_thread& thread_;
    int class_index_;
    const lang::arrival_spec& spec_;
    std::function<void()> grow_;
    rng rng_;
    boost::asio::steady_timer timer_;
    std::uint64_t generation_ = 0;
    arrival_curve curve_;
    clock::time_point origin_{};
    double phase_ = 0.5;  // even arrivals: this part's offset within one arrival gap
    double count_ = 0;    // the arrivals due so far, in this part's units
    bool running_ = false;
    std::atomic<int> pool_{0};  // written on the thread only
    int pool_limit_ = 0;
    std::vector<gate_seat*> free_;             // the most recently freed is used first: few connections
    std::deque<clock::time_point> waiting_;    // arrivals waiting for a user (max_delay > 0)
};

}  // namespace stampede::worker
