#pragma once
// A worker: connects to a master, receives the scenario and its share of users, runs them on
// the load engine, and streams sequenced stats snapshots back. Survives a lost connection
// (resending what the master has not acknowledged) and never keeps loading a target when its
// master has gone silent.
#include <atomic>
#include <memory>
#include <string>

#include "common/duration.hpp"

namespace stampede::wire {
class master_channel;
}

namespace stampede::worker {

struct agent_options {
    std::string master;  // host:port; unused when a channel is given
    std::string name;    // default: host name and pid
    int threads = 0;     // 0: one per core
    std::string token;
    std::string tls_ca, tls_cert, tls_key;  // PEM paths; tls_ca enables TLS
    std::string tls_server_name;            // expected name in the master's certificate
    common::micros master_wait{0};          // give up (exit 3) if no master for this long; 0: never
    common::micros master_timeout{std::chrono::seconds(5)};  // silence after which users stop
    common::micros stop_grace{std::chrono::seconds(5)};      // on a signal: requests may finish
    std::size_t max_unacked = 600;          // snapshots kept for resending
};

// Exit codes of `stampede worker`.
inline constexpr int agent_done = 0;        // the master ended the run
inline constexpr int agent_bad_configuration = 2;  // e.g. a TLS file that cannot be read
inline constexpr int agent_unreachable = 3; // no master within --master-wait
inline constexpr int agent_refused = 4;     // refused: token, protocol version, ...
inline constexpr int agent_interrupted = 5; // stopped by a signal (users stopped, results sent)
inline constexpr int agent_cannot_run = 6;  // the scenario does not load or start here (told to the master)

class worker_agent {
public:
    explicit worker_agent(agent_options options, std::shared_ptr<wire::master_channel> channel = nullptr);
    ~worker_agent();
    // Runs until the master ends the run, refuses us, or stop() is called.
    int run();
    // Asks run() to stop users, flush snapshots and return. Callable from any thread.
    void stop();
    // What this worker counted, all runs together (its own tally, for cross-checks).
    std::uint64_t requests_counted() const;
    std::uint64_t failures_counted() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace stampede::worker
