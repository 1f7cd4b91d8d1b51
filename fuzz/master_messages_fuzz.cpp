// What a worker does with anything a master may send, short of starting load: messages built
// from raw bytes by the generated protobuf code and decoded by the wire's codec; a welcome's
// plan shaped into the run it describes (the scenario loaded from the plan alone, its settings
// checked), an assignment's load handed to the closed model's planner and ticked as the engine
// ticks it. No engine is started and nothing is resolved or connected: a fuzzed plan names any
// host. Whatever arrives: no crash, and no more users planned than the assignment holds. The
// input is a list of messages, each length-prefixed (two bytes).
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <numeric>
#include <variant>

#include "fuzz/fuzz_bytes.hpp"
#include "proto/message_codec.hpp"
#include "scenario/run_plan.hpp"
#include "stampede/v1/cluster.pb.h"
#include "worker/spawn_planner.hpp"

using namespace stampede;

namespace {

constexpr int classes = 3;
constexpr int threads = 2;
constexpr int ticks = 5;  // 20 ms apart, as the engine's control thread ticks

void plan_load(const wire::assignment& a) {
    worker::spawn_planner planner(classes, threads);
    auto now = worker::spawn_planner::clock::now();
    planner.assign(a.users_per_class, a.spawn_rate, now, a.spawn_phase);
    long long assigned = 0;
    for (std::size_t c = 0; c < a.users_per_class.size() && c < classes; ++c) assigned += std::max(0, a.users_per_class[c]);
    for (int i = 0; i < ticks; ++i) {
        now += std::chrono::milliseconds(20);
        (void)planner.tick(now);
        if (planner.users() < 0 || planner.users() > assigned) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    while (!in.empty()) {
        const auto bytes = in.chunk();
        v1::MasterMessage raw;
        if (!raw.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) continue;
        const auto message = wire::decode(raw);
        if (const auto* w = std::get_if<wire::welcome>(&message)) {
            if (w->plan) (void)lang::shape_run(*w->plan);
        } else if (const auto* a = std::get_if<wire::assignment>(&message)) {
            plan_load(*a);
        }
        v1::MasterMessage again;  // what was decoded encodes again
        wire::encode(message, again);
    }
    return 0;
}
