#include "master/worker_entry.hpp"

namespace stampede::master {

std::string_view state_name(worker_state s) {
    switch (s) {
        case worker_state::joining: return "joining";
        case worker_state::ready: return "ready";
        case worker_state::running: return "running";
        case worker_state::stopped: return "stopped";
        case worker_state::lost: return "lost";
        case worker_state::quit: return "quit";
        case worker_state::failed: return "failed";
    }
    return "unknown";
}

}  // namespace stampede::master
