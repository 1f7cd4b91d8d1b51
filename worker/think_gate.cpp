#include "worker/think_gate.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "worker/io_thread.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
using common::micros;

asio::awaitable<void> think(asio::steady_timer& timer, const lang::wait_time& wait, rng& random, micros since_start) {
    if (wait.type == lang::wait_time::kind::none) co_return;
    auto length = wait.low;
    if (wait.type == lang::wait_time::kind::pacing) {
        if (since_start >= wait.low) co_return;
        length = wait.low - since_start;
    } else if (wait.high > wait.low) {
        length += micros(static_cast<long long>(random.below(static_cast<std::uint64_t>((wait.high - wait.low).count()) + 1)));
    }
    boost::system::error_code ec;  // cancelled: the user is woken to retire
    timer.expires_after(length);
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<bool> think_gate::pass(gate_seat& seat, const user_handle& user, rng& random) {
    // No wait, no call: a closed user at full speed passes without a coroutine frame more.
    if (wait_.type != lang::wait_time::kind::none && seat.started != gate_seat::clock::time_point{} && !user.retiring())
        co_await think(seat.timer, wait_, random,
                       std::chrono::duration_cast<micros>(gate_seat::clock::now() - seat.started));
    seat.started = gate_seat::clock::now();
    co_return !user.retiring();
}

}  // namespace stampede::worker
