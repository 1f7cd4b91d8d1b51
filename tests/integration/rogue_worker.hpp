#pragma once
// A worker that lies, written against the generated stubs: it joins a real master like a
// worker does (hello, ready, stopped when told), and sends whatever snapshots a test builds.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <thread>

#include "stampede/v1/cluster.grpc.pb.h"

namespace stampede::testing {

class rogue_worker {
public:
    // Connects to 127.0.0.1:`port` and says hello; true once welcomed.
    rogue_worker(int port, const std::string& name, std::uint32_t threads = 1);
    ~rogue_worker();
    bool welcomed() const { return welcomed_; }
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
    bool welcomed_ = false;
};

// A snapshot of `requests` requests at `latency_us` each on endpoint 0.
v1::Snapshot honest_snapshot(std::uint64_t sequence, std::uint64_t requests, std::uint64_t latency_us = 1000);

}  // namespace stampede::testing
