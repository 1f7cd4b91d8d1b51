#include "master/interruptible_wait.hpp"

#include <csignal>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "master/cluster.hpp"

namespace stampede::master {

namespace asio = boost::asio;

wait_end wait_on(asio::io_context& io, const std::function<bool()>& done, std::optional<common::micros> until) {
    if (done()) return wait_end::done;
    std::optional<wait_end> outcome;
    asio::steady_timer poll(io), deadline(io);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    std::function<void()> check = [&] {
        if (done()) {
            outcome = wait_end::done;
            return io.stop();
        }
        poll.expires_after(std::chrono::milliseconds(100));
        poll.async_wait([&](auto ec) { if (!ec) check(); });
    };
    check();
    if (until) {
        deadline.expires_after(*until);
        deadline.async_wait([&](auto ec) {
            if (ec) return;
            outcome = wait_end::timed_out;
            io.stop();
        });
    }
    signals.async_wait([&](auto ec, int) {
        if (ec) return;
        outcome = wait_end::signalled;
        io.stop();
    });
    io.restart();
    if (!outcome) io.run();
    poll.cancel();
    deadline.cancel();
    signals.cancel();
    io.restart();
    io.poll();  // the cancelled waits end here, before the locals they use
    return outcome.value_or(wait_end::done);
}

wait_end await_workers(asio::io_context& io, cluster& workers, int count, common::micros max_wait) {
    const auto enough = [&] { return workers.workers_ready(count) || !workers.health(); };
    return wait_on(io, enough, max_wait.count() > 0 ? std::optional(max_wait) : std::nullopt);
}

}  // namespace stampede::master
