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

enum class wait_end { done, timed_out, signalled };

// Polls `done` every 100 ms while `io` runs (serving whatever else is on it); `until` bounds the
// wait, none waits until `done` or a signal.
wait_end wait_on(boost::asio::io_context& io, const std::function<bool()>& done, std::optional<common::micros> until);

}  // namespace stampede::master
