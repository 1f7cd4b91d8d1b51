#include "worker/arrival_pacer.hpp"

#include <algorithm>
#include <cmath>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>


namespace stampede::worker {

namespace asio = boost::asio;

namespace {

// Arrivals that wait for a user are bounded as well as timed: a stalled pool cannot grow
// this without end.
constexpr std::size_t max_waiting = 100'000;

// An arrival due later than this (31 years, the longest run) never comes: a sliver of a rate
// would otherwise overflow the clock.
constexpr double never_s = 1e9;

// Arrivals due this close together share one wake of the thread.
constexpr auto coalesce = std::chrono::microseconds(100);

// A spinning pacer sleeps until this long before an arrival (further than a timer on a busy
// machine oversleeps), then polls the thread's queue until it is due.
constexpr auto spin_horizon = std::chrono::milliseconds(5);

int part_of(int total, std::uint32_t parts) {
    return static_cast<int>((static_cast<long long>(total) + parts - 1) / parts);  // rounded up
}

}  // namespace

arrival_pacer::arrival_pacer(io_thread& thread, int class_index, const lang::arrival_spec& spec, std::uint64_t seed,
                             std::function<void()> grow)
    : thread_(thread), class_index_(class_index), spec_(spec), grow_(std::move(grow)), rng_(seed),
      timer_(thread.io), curve_(spec, 0) {}

void arrival_pacer::start(std::uint32_t part, std::uint32_t parts, clock::time_point origin) {
    halt();  // arrivals waiting for a user keep waiting: a new part is not a stop
    if (parts == 0) return stop();
    curve_ = arrival_curve(spec_, 1.0 / parts);
    origin_ = origin;
    phase_ = (part + 0.5) / parts;  // the parts of the cluster take turns within each gap
    // Where this part stands now: arrivals already due are not made up.
    const double now_s = std::chrono::duration<double>(clock::now() - origin_).count();
    count_ = std::max(0.0, curve_.count_at(now_s));
    if (!spec_.poisson) count_ = std::floor(count_ - phase_ + 1);  // the next whole turn
    pool_limit_ = part_of(spec_.max_users, parts);
    for (int target = part_of(spec_.users, parts); pool_size() < std::min(target, pool_limit_);) {
        pool_.fetch_add(1, std::memory_order_relaxed);
        grow_();
    }
    running_ = true;
    asio::co_spawn(thread_.io, run(generation_), asio::detached);
}

void arrival_pacer::halt() {
    ++generation_;
    running_ = false;
    timer_.cancel();
}

void arrival_pacer::stop() {
    halt();
    // Arrivals still waiting for a user did not start in time: dropped, not forgotten.
    thread_.shard.classes[static_cast<std::size_t>(class_index_)].dropped += waiting_.size();
    waiting_.clear();
}

double arrival_pacer::next_due_s() {
    if (spec_.poisson) {
        // Exponential gaps in this part's count: a Poisson process at the (changing) rate.
        const double u = (static_cast<double>(rng_.next() >> 11) + 0.5) / 9007199254740992.0;
        count_ += -std::log(u);
        return curve_.time_of(count_);
    }
    const double due = curve_.time_of(count_ + phase_);
    count_ += 1;
    return due;
}

// Sleeps until the next arrival is due and hands it out; arrivals due within `coalesce` of
// one that wakes the thread start with it, a little early, since a wake of the thread costs
// more than that wait (early starts are measured from when they were sent: no lag, no gain).
// With `timing: spin` the last stretch is polled instead: each turn goes behind the handlers
// ready on the thread (its requests keep flowing), and an arrival starts at its time, late
// only by that queue, not by a sleeping thread's wake-up.
asio::awaitable<void> arrival_pacer::run(std::uint64_t generation) {
    boost::system::error_code ec;
    auto due_at = [&](double s) {
        return origin_ + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
    };
    double due_s = next_due_s();
    while (due_s < never_s) {  // else the rate stays at zero (or next to it) from here on
        const auto due = due_at(due_s);
        if (const auto wake = spec_.spin ? due - spin_horizon : due; wake > clock::now()) {
            timer_.expires_at(wake);
            co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (generation != generation_) co_return;
        }
        while (spec_.spin && due > clock::now()) {
            co_await asio::post(thread_.io, asio::use_awaitable);
            if (generation != generation_) co_return;
        }
        const auto until = clock::now() + (spec_.spin ? clock::duration(0) : coalesce);
        for (; due_s < never_s && due_at(due_s) <= until; due_s = next_due_s()) dispatch(due_at(due_s));
    }
}

// An arrival is due: a free user takes it; else the pool grows for the next ones, and this
// one waits (up to max_delay) or is dropped.
void arrival_pacer::dispatch(clock::time_point intended) {
    auto& counts = thread_.shard.classes[static_cast<std::size_t>(class_index_)];
    if (!free_.empty()) {
        auto* seat = free_.back();
        free_.pop_back();
        seat->intended = intended;
        seat->timer.cancel();  // the user wakes and starts
        return;
    }
    if (pool_size() < pool_limit_) {
        pool_.fetch_add(1, std::memory_order_relaxed);
        grow_();
    }
    expire_waiting(clock::now());
    if (spec_.max_delay.count() > 0 && waiting_.size() < max_waiting) waiting_.push_back(intended);
    else ++counts.dropped;
}

void arrival_pacer::expire_waiting(clock::time_point now) {
    auto& counts = thread_.shard.classes[static_cast<std::size_t>(class_index_)];
    while (!waiting_.empty() && now - waiting_.front() > spec_.max_delay) {
        waiting_.pop_front();
        ++counts.dropped;
    }
}

bool arrival_pacer::release(gate_seat& seat) {
    if (running_) {
        expire_waiting(clock::now());
        if (!waiting_.empty()) {
            seat.intended = waiting_.front();
            waiting_.pop_front();
            return true;
        }
    }
    free_.push_back(&seat);
    return false;
}

// The user waits, free, until an arrival is handed to it; the iteration is counted, with how
// late it starts. False: the user is retiring instead.
asio::awaitable<bool> arrival_pacer::pass(gate_seat& seat, const user_handle& user, rng&) {
    if (!release(seat)) {
        boost::system::error_code ec;
        while (seat.intended == clock::time_point{} && !user.retiring()) {
            seat.timer.expires_at(clock::time_point::max());
            co_await seat.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
    }
    if (user.retiring()) co_return false;
    auto& counts = thread_.shard.classes[static_cast<std::size_t>(class_index_)];
    ++counts.iterations;
    const auto lag = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - seat.intended).count();
    counts.start_lag.record(static_cast<std::uint64_t>(std::max<long long>(0, lag)));
    co_return true;
}

void arrival_pacer::leave(gate_seat& seat) {
    std::erase(free_, &seat);
    pool_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace stampede::worker
