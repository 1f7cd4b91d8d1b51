// The master's handling of anything workers may send: hellos and worker messages built from
// raw bytes by the generated protobuf code and decoded by the wire's codec, on two streams, interleaved with the start and
// with disconnects. The input is a list of operations: one byte (what, and on which stream),
// two bytes of length, then the message's bytes. Whatever arrives, the cluster stays whole: no
// crash, and no worker's counts beyond what any real worker could send.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_bytes.hpp"
#include "master/cluster.hpp"
#include "report/run_result.hpp"
#include "proto/message_codec.hpp"
#include "proto/protocol.hpp"
#include "stampede/v1/cluster.pb.h"

using namespace stampede;
using namespace stampede::master;
using namespace stampede::report;

namespace {

class quiet_link final : public worker_link {
public:
    void send(const wire::master_message&) override { ++sent; }
    void close(bool) override { closed = true; }
    std::string peer() const override { return "fuzz"; }
    std::atomic<int> sent{0};
    std::atomic<bool> closed{false};
};

cluster_config fuzz_config() {
    cluster_config c;
    c.run_id = "fuzz-run";
    c.endpoint_count = 3;
    c.check_count = 2;
    c.class_count = 2;
    c.token = "secret";
    c.max_workers = 2;
    return c;
}

wire::hello default_hello(int stream) {
    wire::hello h;
    h.protocol_version = wire::protocol_version;
    h.stampede_version = STAMPEDE_VERSION;
    h.worker_id = h.name = "w" + std::to_string(stream);
    h.threads = 1;
    h.token = "secret";
    h.master_timeout_ms = 5000;
    return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    cluster c(fuzz_config());
    quiet_link links[2];
    bool started = false;
    for (int op = 0; op < 256 && !in.empty(); ++op) {
        const auto what = in.byte();
        const int stream = (what >> 4) & 1;
        const auto bytes = in.chunk();
        switch (what & 0x0f) {
            case 0: {  // a hello as sent, decoded as the wire decodes it
                v1::WorkerMessage m;
                if (m.mutable_hello()->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
                    c.on_hello(links[stream], std::get<wire::hello>(wire::decode(m)));
                break;
            }
            case 1:  // a well-formed hello: the messages after it are what is tried
                c.on_hello(links[stream], default_hello(stream));
                break;
            case 2:
                c.on_disconnect(links[stream]);
                break;
            case 3:
                if (!started) c.start({static_cast<int>(bytes.size() % 7), static_cast<int>(what >> 5)}, 10);
                started = true;
                break;
            default: {
                v1::WorkerMessage m;
                if (m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
                    c.on_message(links[stream], wire::decode(m));
                break;
            }
        }
    }
    const auto delta = c.take_delta();
    if (delta.total_requests() > (std::uint64_t{2} << 48)) std::abort();  // two workers' limits
    (void)c.status();
    (void)c.health();
    run_result result;
    result.start = wall_clock::now();
    c.describe(result);
    for (auto& link : links) c.on_disconnect(link);
    return 0;
}
