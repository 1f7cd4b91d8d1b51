#pragma once
// The worker's call to its master: one bidirectional stream at a time, a reader thread that
// queues what arrives, and a deadline that a watchdog enforces, so that no blocking call on
// the stream can hang the agent when the master goes quiet. Opened again after each loss.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include <grpcpp/grpcpp.h>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "stampede/v1/cluster.grpc.pb.h"

namespace stampede::worker {

struct channel_security {
    std::string ca, cert, key;  // PEM paths; a CA turns TLS on
    std::string server_name;    // expected in the master's certificate, when not its address
};

// The channel to a master at `address` ("host:port"): reconnecting within 200 ms to 2 s, TLS
// when asked. A TLS file that cannot be read fails here, naming its flag.
common::result<std::shared_ptr<grpc::Channel>> make_master_channel(const std::string& address,
                                                                   const channel_security& security);

// Why the channel cannot reach its master, as gRPC last said it (a refused connection, a TLS
// handshake that failed and why): empty while the channel is not failing. A waiting call would
// only time out, saying nothing; this asks once without waiting, only when the channel has
// already failed, so a master that is up never sees the probe.
std::string unreachable_reason(grpc::Channel& channel, v1::Coordinator::Stub& stub);

class master_stream {
public:
    using clock = std::chrono::steady_clock;

    // `quiet_limit`: after each message from the master, how long the next may take.
    master_stream(v1::Coordinator::Stub& stub, common::micros quiet_limit);
    ~master_stream();

    // Opens a call and says `hello`; the master's first word must come within `first_word`.
    bool open(v1::WorkerMessage& hello, common::micros first_word);
    // Every `string` field made valid UTF-8 first (said in the log when any was not).
    bool write(v1::WorkerMessage& message);
    // What arrived, once there is something or `until` passes; and whether the call has ended.
    std::pair<std::deque<v1::MasterMessage>, bool> take(clock::time_point until);
    // For the watchdog, from its own thread: cancels the call once its deadline has passed.
    void cancel_if_quiet();
    // From another thread: ends the call now (a stop while it still waits for a master must
    // not wait out the deadline).
    void cancel();

    // How the last call ended: OK means the master ended it (the run is over).
    struct ending {
        bool by_master = false;
        grpc::StatusCode code = grpc::StatusCode::OK;
    };
    // Ends the call (cancelling it if the master has not) and joins the reader.
    ending close();

private:
    void extend_deadline(common::micros d);
    void read_all();

    v1::Coordinator::Stub& stub_;
    const common::micros quiet_limit_;
    std::mutex context_mutex_;  // the watchdog cancels through the context
    std::unique_ptr<grpc::ClientContext> context_;
    std::atomic<clock::rep> deadline_{0};
    std::unique_ptr<grpc::ClientReaderWriter<v1::WorkerMessage, v1::MasterMessage>> call_;
    std::thread reader_;
    std::mutex inbox_mutex_;
    std::condition_variable inbox_ready_;
    std::deque<v1::MasterMessage> inbox_;
    bool ended_ = false;
};

}  // namespace stampede::worker
