#pragma once
// The worker's call to its master: one bidirectional stream at a time, a reader thread that
// queues what arrives (decoded into plain messages), and a deadline that a watchdog enforces,
// so that no blocking call on the stream can hang the agent when the master goes quiet. Opened
// again after each loss.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "common/duration.hpp"
#include "proto/master_channel.hpp"
#include "proto/message_codec.hpp"

namespace stampede::wire {

class master_connection {
public:
    using clock = std::chrono::steady_clock;

    // `quiet_limit`: after each message from the master, how long the next may take.
    master_connection(std::shared_ptr<master_channel> channel, common::micros quiet_limit);
    ~master_connection();

    // Opens a call and says `hello`; the master's first word must come within `first_word`.
    bool open(const hello& greeting, common::micros first_word);

    // Every text field made valid UTF-8 first (said in the log when any was not).
    send_result send(const worker_outgoing& message);
    // What arrived, once there is something or `until` passes; and whether the call has ended.
    std::pair<std::deque<master_message>, bool> take(clock::time_point until);
    // For the watchdog, from its own thread: cancels the call once its deadline has passed.
    void cancel_if_quiet();
    // From another thread: ends the call now (a stop while it still waits for a master must
    // not wait out the deadline).
    void cancel();

    // How the last call ended.
    struct ending {
        bool by_master = false;          // the master ended it with OK: the run is over
        bool closed_by_master = false;   // the master closed it (took this worker for lost, or replaced it)
        bool message_too_large = false;  // a message from the master was past the channel's limit
    };
    // Ends the call (cancelling it if the master has not) and joins the reader.
    ending close();

    // Why the channel cannot reach its master, as gRPC last said it (a refused connection, a TLS
    // handshake that failed and why): empty while the channel is not failing. A waiting call
    // would only time out, saying nothing; this asks once without waiting, only when the
    // channel has already failed, so a master that is up never sees the probe.
    std::string unreachable_reason();

private:
    struct call;
    void extend_deadline(common::micros d);
    void read_all();

    std::shared_ptr<master_channel> channel_;
    const common::micros quiet_limit_;
    std::unique_ptr<call> call_;
    std::mutex context_mutex_;  // the watchdog cancels through the call's context
    std::atomic<clock::rep> deadline_{0};
    std::thread reader_;
    std::mutex inbox_mutex_;
    std::condition_variable inbox_ready_;
    std::deque<master_message> inbox_;
    bool ended_ = false;
};

}  // namespace stampede::wire
