#include "tests/integration/rogue_worker.hpp"

#include <catch2/catch.hpp>

#include "proto/protocol.hpp"
#include "stats/histogram_codec.hpp"

namespace stampede::testing {

v1::WorkerMessage rogue_hello(const std::string& name, std::uint32_t threads) {
    v1::WorkerMessage hello;
    auto* h = hello.mutable_hello();
    h->set_protocol_version(wire::protocol_version);
    h->set_worker_id("rogue-" + name.substr(0, 32));
    h->set_name(name);
    h->set_machine("rogue-host");
    h->set_threads(threads);
    h->set_master_timeout_ms(1000);  // taken for lost after 3 s of silence, as with --master-timeout 1s
    return hello;
}

rogue_worker::rogue_worker(int port, const std::string& name, std::uint32_t threads)
    : rogue_worker(port, rogue_hello(name, threads)) {}

rogue_worker::rogue_worker(int port, const v1::WorkerMessage& first) {
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    stub_ = v1::Coordinator::NewStub(channel);
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    stream_ = stub_->Connect(&context_);
    if (!stream_->Write(first)) return;
    if (!stream_->Read(&answer_)) answer_.Clear();
}

rogue_worker::~rogue_worker() {
    context_.TryCancel();
    if (!finished_) stream_->Finish();
}

bool rogue_worker::say(const v1::WorkerMessage& message) { return stream_->Write(message); }

grpc::Status rogue_worker::ended() {
    v1::MasterMessage m;
    while (stream_->Read(&m)) {}
    finished_ = true;
    return stream_->Finish();
}

std::uint32_t rogue_worker::ready() {
    v1::WorkerMessage state;
    state.mutable_state()->set_state(v1::StateChange::READY);
    stream_->Write(state);
    v1::MasterMessage m;
    while (stream_->Read(&m)) {
        if (!m.has_assignment()) continue;
        std::uint32_t users = 0;
        for (auto n : m.assignment().users_per_class()) users += n;
        return users;
    }
    return 0;
}

bool rogue_worker::send(const v1::Snapshot& snapshot) {
    v1::WorkerMessage m;
    *m.mutable_snapshot() = snapshot;
    return stream_->Write(m);
}

bool rogue_worker::fail(const std::string& why) {
    v1::WorkerMessage m;
    m.mutable_state()->set_state(v1::StateChange::FAILED);
    m.mutable_state()->set_detail(why);
    return stream_->Write(m);
}

void rogue_worker::finish(std::uint64_t last_sequence) {
    v1::MasterMessage m;
    while (stream_->Read(&m)) {
        if (m.has_stop()) {
            v1::WorkerMessage state;
            state.mutable_state()->set_state(v1::StateChange::STOPPED);
            state.mutable_state()->set_last_sequence(last_sequence);
            stream_->Write(state);
        }
        if (m.has_quit()) return;
    }
}

lying_run::lying_run(std::vector<std::string> extra) {
    write_file(dir.file("s.yaml"), "host: http://127.0.0.1:9\nuser_classes:\n  - tasks: [{name: only, path: /}]\n");
    std::vector<std::string> args = {"-f", dir.file("s.yaml"), "-r", "100", "-t", "2s",
                                     "--stop-timeout", "1s", "--json", dir.file("r.json")};
    args.insert(args.end(), extra.begin(), extra.end());
    master = start_master(args, port);
}

nlohmann::json lying_run::result() {
    const auto exit = master->wait(std::chrono::seconds(30));
    INFO(master->err());
    REQUIRE(exit);
    code = *exit;
    return nlohmann::json::parse(read_file(dir.file("r.json")));
}

v1::Snapshot honest_snapshot(std::uint64_t sequence, std::uint64_t requests, std::uint64_t latency_us) {
    v1::Snapshot s;
    s.set_sequence(sequence);
    auto* e = s.add_endpoints();
    e->set_endpoint(0);
    e->set_requests(requests);
    stats::histogram h;
    h.record(latency_us, requests);
    e->set_histogram(stats::encode_histogram(h));
    return s;
}

}  // namespace stampede::testing
