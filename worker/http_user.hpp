#pragma once
// HTTP users: with prepared_scenario, the only parts of the engine that see Boost.Beast.
#include <cstdint>
#include <memory>
#include <string>

#include "scenario/scenario.hpp"

namespace stampede::worker {

struct io_thread;
struct prepared_scenario;  // prepared_scenario.hpp

// Starts one user of `class_index` on `thread`. Must run on that thread.
void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed);

}  // namespace stampede::worker
