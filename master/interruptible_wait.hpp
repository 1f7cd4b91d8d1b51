#pragma once
// The master's waits before and after a run (for its workers, for a start from the page, the
// linger after it) run the event loop until a condition holds, a deadline passes or SIGINT or
// SIGTERM comes, whichever is first: a master is never deaf to Ctrl-C while it waits.
#include <functional>
#include <optional>

#include "common/duration.hpp"

namespace boost::asio {
class io_context;
}

namespace stampede::master {

class cluster;

enum class wait_end { done, timed_out, signalled };

// Polls `done` every 100 ms while `io` runs (serving whatever else is on it); `until` bounds the
// wait, none waits until `done` or a signal.
wait_end wait_on(boost::asio::io_context& io, const std::function<bool()>& done, std::optional<common::micros> until);

// Until `count` workers are ready or one has failed (`done` either way: the cluster's health
// tells which), `max_wait` passes (0: no limit) or a signal comes.
wait_end await_workers(boost::asio::io_context& io, cluster& workers, int count, common::micros max_wait);

}  // namespace stampede::master
