#pragma once
// HTTP users: the user runtime with a keep-alive connection per host (TCP or TLS). The engine's default
// user starter (engine_options::start_user).
#include <cstdint>
#include <memory>

namespace stampede::worker {

struct io_thread;
struct prepared_scenario;  // prepared_scenario.hpp

// Starts one user of `class_index` on `thread`. Must run on that thread.
void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed);

}  // namespace stampede::worker
