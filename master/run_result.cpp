#include "master/run_result.hpp"

namespace stampede::master {

std::string_view to_string(event_kind kind) {
    switch (kind) {
        case event_kind::worker_joined: return "worker_joined";
        case event_kind::worker_reconnected: return "worker_reconnected";
        case event_kind::worker_quit: return "worker_quit";
        case event_kind::worker_failed: return "worker_failed";
        case event_kind::worker_lost: return "worker_lost";
        case event_kind::worker_cpu_high: return "worker_cpu_high";
        case event_kind::master_stalled: return "master_stalled";
        case event_kind::spawning_complete: return "spawning_complete";
        case event_kind::threshold_failed: return "threshold_failed";
        case event_kind::stop_condition_met: return "stop_condition_met";
        case event_kind::load_changed: return "load_changed";
        case event_kind::statistics_reset: return "statistics_reset";
        case event_kind::stopped: return "stopped";
        case event_kind::count: break;
    }
    return "unknown";
}

}  // namespace stampede::master
