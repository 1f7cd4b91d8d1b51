#pragma once
// A worker that lies, written against the generated stubs: it joins a real master like a
// worker does (hello, ready, stopped when told), and sends whatever snapshots a test builds.
#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <thread>

#include "stampede/v1/cluster.grpc.pb.h"
#include "tests/integration/process.hpp"

namespace stampede::testing {

// The hello a worker named `name` says: its id is derived from the name, so two rogues of
// one name are one worker to the master.
v1::WorkerMessage rogue_hello(const std::string& name, std::uint32_t threads = 1);

class rogue_worker {
public:
    // Connects to 127.0.0.1:`port` and says hello; true once welcomed.
    rogue_worker(int port, const std::string& name, std::uint32_t threads = 1);
    // Connects and says `first`, whatever it is, and reads the master's answer if any.
    rogue_worker(int port, const v1::WorkerMessage& first);
    ~rogue_worker();
    bool welcomed() const { return answer_.has_welcome(); }
    // What the master answered the first message with (empty if the stream ended instead).
    const v1::MasterMessage& answer() const { return answer_; }
    // Says anything.
    bool say(const v1::WorkerMessage& message);
    // Reads until the master ends the stream; how it ended.
    grpc::Status ended();
    // Says it is ready and waits for its assignment; the users it was given.
    std::uint32_t ready();
    bool send(const v1::Snapshot& snapshot);
    // Says it failed, as a worker that cannot go on does.
    bool fail(const std::string& why);
    // Answers the master's stop with `last_sequence` and waits for its quit.
    void finish(std::uint64_t last_sequence);

private:
    grpc::ClientContext context_;
    std::unique_ptr<v1::Coordinator::Stub> stub_;
    std::unique_ptr<grpc::ClientReaderWriter<v1::WorkerMessage, v1::MasterMessage>> stream_;
    v1::MasterMessage answer_;
    bool finished_ = false;
};

// A master for rogues: one endpoint (index 0), one user class, no checks; a 2 s run with a
// JSON result. `extra` replaces the default "-u 1".
struct lying_run {
    temp_dir dir;
    int port = 0;
    std::unique_ptr<child_process> master;
    int code = -1;

    explicit lying_run(std::vector<std::string> extra = {"-u", "1"});
    // Waits for the master's exit (its code in `code`); the JSON result.
    nlohmann::json result();
};

// A snapshot of `requests` requests at `latency_us` each on endpoint 0.
v1::Snapshot honest_snapshot(std::uint64_t sequence, std::uint64_t requests, std::uint64_t latency_us = 1000);

}  // namespace stampede::testing
