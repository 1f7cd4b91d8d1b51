// stampede-bench-master: how much of a core does a master spend merging snapshots?
// Opens K simulated worker streams to a running master; each says hello, becomes ready, and
// then every second sends a snapshot (carrying its heartbeat, as a busy worker's does)
// covering E endpoints with realistic latency histograms. Measures the master's CPU (from /proc) over the measured window and
// prints what it sent, so the master's final totals can be checked against it.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "proto/control_transport.hpp"
#include "proto/protocol.hpp"
#include "stats/histogram_codec.hpp"
#include "stampede/v1/cluster.grpc.pb.h"

namespace {

using namespace stampede;
using namespace std::chrono_literals;

struct options {
    std::string master = "127.0.0.1:5557";
    int workers = 1000;
    int endpoints = 50;
    int requests_per_endpoint = 200;  // per snapshot
    int warmup_s = 3, measure_s = 10;
    int master_pid = 0;
    int connections = 100;  // real workers each bring their own; loopback caps what is sensible
};

double cpu_seconds_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(in, text);
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;
    double utime = 0, stime = 0;
    fields >> utime >> stime;
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// One simulated worker: a callback stream that discards what the master says and writes
// whatever is queued, one write in flight.
class fake_worker final : public grpc::ClientBidiReactor<v1::WorkerMessage, v1::MasterMessage> {
public:
    fake_worker(v1::Coordinator::Stub& stub, int index) {
        stub.async()->Connect(&context_, this);
        v1::WorkerMessage hello;
        auto* h = hello.mutable_hello();
        h->set_protocol_version(wire::protocol_version);
        h->set_worker_id("bench-" + std::to_string(index));
        h->set_name("bench-" + std::to_string(index));
        h->set_machine("bench");
        h->set_threads(1);
        h->set_master_timeout_ms(5000);  // a worker's default
        send(hello);
        StartRead(&incoming_);
        StartCall();
    }
    void send(v1::WorkerMessage m) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(m));
        if (queue_.size() == 1) StartWrite(&queue_.front());
    }
    void OnWriteDone(bool ok) override {
        std::lock_guard lock(mutex_);
        queue_.pop_front();
        if (ok && !queue_.empty()) StartWrite(&queue_.front());
    }
    void OnReadDone(bool ok) override {
        if (!ok) return;
        if (incoming_.has_welcome()) welcomed = true;
        StartRead(&incoming_);
    }
    void OnDone(const grpc::Status&) override { done = true; }
    void cancel() { context_.TryCancel(); }
    std::atomic<bool> welcomed{false}, done{false};
    std::uint64_t next_sequence = 1;

private:
    grpc::ClientContext context_;
    v1::MasterMessage incoming_;
    std::mutex mutex_;
    std::deque<v1::WorkerMessage> queue_;
};

// A snapshot as a busy worker would send it: every endpoint with log-normal latencies.
v1::WorkerMessage make_snapshot(const options& o, std::mt19937_64& random) {
    std::lognormal_distribution<double> latency(std::log(20'000.0), 0.6);
    v1::WorkerMessage m;
    auto* s = m.mutable_snapshot();
    s->mutable_heartbeat()->set_cpu_percent(50);
    s->mutable_heartbeat()->set_users(10);
    for (int e = 0; e < o.endpoints; ++e) {
        stats::histogram h;
        for (int i = 0; i < o.requests_per_endpoint; ++i) h.record(static_cast<std::uint64_t>(latency(random)));
        auto* d = s->add_endpoints();
        d->set_endpoint(static_cast<std::uint32_t>(e));
        d->set_requests(static_cast<std::uint64_t>(o.requests_per_endpoint));
        d->set_bytes(static_cast<std::uint64_t>(o.requests_per_endpoint) * 100);
        d->set_histogram(stats::encode_histogram(h));
    }
    return m;
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--master") o.master = value;
        else if (flag == "--workers") o.workers = std::stoi(value);
        else if (flag == "--endpoints") o.endpoints = std::stoi(value);
        else if (flag == "--requests") o.requests_per_endpoint = std::stoi(value);
        else if (flag == "--warmup") o.warmup_s = std::stoi(value);
        else if (flag == "--seconds") o.measure_s = std::stoi(value);
        else if (flag == "--master-pid") o.master_pid = std::stoi(value);
        else if (flag == "--connections") o.connections = std::stoi(value);
        else throw std::runtime_error("unknown flag " + flag);
    }
    if (o.master_pid == 0) throw std::runtime_error("--master-pid is required");
    return o;
}

// The simulated workers, joined and ready. Their streams spread over several connections, as
// workers on many hosts would bring.
struct cluster_of_fakes {
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<v1::Coordinator::Stub>> stubs;
    std::vector<std::unique_ptr<fake_worker>> workers;
};

void join(const options& o, cluster_of_fakes& fakes) {
    auto& [channels, stubs, workers] = fakes;
    grpc::ChannelArguments args;
    wire::configure_worker_channel(args);  // the transport a real worker uses
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    for (int c = 0; c < std::max(1, o.connections); ++c) {
        grpc::ChannelArguments a = args;
        a.SetInt("stampede.bench.channel", c);  // distinct arguments: distinct connections
        channels.push_back(grpc::CreateCustomChannel(o.master, grpc::InsecureChannelCredentials(), a));
        stubs.push_back(v1::Coordinator::NewStub(channels.back()));
    }
    for (int i = 0; i < o.workers; ++i) workers.push_back(std::make_unique<fake_worker>(*stubs[i % stubs.size()], i));
    for (int waited = 0; waited < 300; ++waited) {
        int welcomed = 0;
        for (auto& w : workers) welcomed += w->welcomed;
        if (welcomed == o.workers) break;
        std::this_thread::sleep_for(100ms);
    }
    v1::WorkerMessage ready;
    ready.mutable_state()->set_state(v1::StateChange::READY);
    for (auto& w : workers) w->send(ready);
}

// Sends every worker's snapshot each second, warm-up first; returns how many went, and the
// master's CPU seconds over the measured part in `cpu`.
std::uint64_t send_rounds(const options& o, std::vector<std::unique_ptr<fake_worker>>& workers, double& cpu) {
    // Precomputed snapshots (a few variants), so this tool's own CPU does not limit the rate.
    std::mt19937_64 random(1);
    std::vector<v1::WorkerMessage> variants;
    for (int v = 0; v < 16; ++v) variants.push_back(make_snapshot(o, random));

    std::uint64_t snapshots = 0;
    double cpu_start = 0;
    auto tick = std::chrono::steady_clock::now();
    const int total_s = o.warmup_s + o.measure_s;
    for (int second = 0; second < total_s; ++second) {
        if (second == o.warmup_s) cpu_start = cpu_seconds_of(o.master_pid);
        // As real workers send: each at the interval boundary plus its own offset within the
        // first tenth of the interval (snapshot_outbox's next_aligned_snapshot).
        for (std::size_t i = 0; i < workers.size(); ++i) {
            std::this_thread::sleep_until(tick + std::chrono::microseconds(100'000 * i / workers.size()));
            auto& w = *workers[i];
            auto m = variants[(i + static_cast<std::size_t>(second)) % variants.size()];
            m.mutable_snapshot()->set_sequence(w.next_sequence++);
            w.send(std::move(m));
            ++snapshots;
        }
        tick += 1s;
        std::this_thread::sleep_until(tick);
    }
    cpu = cpu_seconds_of(o.master_pid) - cpu_start;
    return snapshots;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    try {
        o = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\nusage: stampede-bench-master --master-pid PID [--master HOST:PORT] "
                  << "[--workers 1000] [--endpoints 50] [--requests 200] [--warmup 3] [--seconds 10] [--connections 100]\n";
        return 2;
    }
    cluster_of_fakes fakes;
    join(o, fakes);
    auto& workers = fakes.workers;
    double cpu = 0;
    const auto snapshots = send_rounds(o, workers, cpu);
    std::printf("workers %d, endpoints %d, snapshots sent %llu, requests sent %llu\n", o.workers, o.endpoints,
                static_cast<unsigned long long>(snapshots),
                static_cast<unsigned long long>(snapshots * static_cast<std::uint64_t>(o.endpoints) *
                                                static_cast<std::uint64_t>(o.requests_per_endpoint)));
    std::printf("master CPU over %d s: %.2f s = %.1f%% of one core\n", o.measure_s, cpu, 100.0 * cpu / o.measure_s);
    std::this_thread::sleep_for(2s);  // let the last snapshots land before the master stops
    for (auto& w : workers) w->cancel();
    for (auto& w : workers)
        while (!w->done) std::this_thread::sleep_for(1ms);
    return 0;
}
