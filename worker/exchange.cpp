#include "worker/exchange.hpp"

namespace stampede::worker {

void count_failure(io_thread& thread, std::uint32_t endpoint, stats::error_kind kind, int code, std::string_view detail) {
    thread.shard.add_error({endpoint, kind, code}, detail);
}

}  // namespace stampede::worker
