#pragma once
// HTTP users: the only part of the engine that sees Boost.Beast.
#include <cstdint>
#include <memory>
#include <string>

#include "scenario/scenario.hpp"

namespace stampede::worker {

struct io_thread;
struct prepared_scenario;  // requests built once, host resolved: shared read-only by threads

// Builds every task's request and resolves the host. Returns null with a reason on failure.
std::shared_ptr<const prepared_scenario> prepare_scenario(const lang::scenario& sc, std::string* error);

// Starts one user of `class_index` on `thread`. Must run on that thread.
void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed);

}  // namespace stampede::worker
