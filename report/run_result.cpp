#include "report/run_result.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace stampede::report {

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
        case event_kind::watch_failed: return "watch_failed";
        case event_kind::watch_recovered: return "watch_recovered";
        case event_kind::count: break;
    }
    return "unknown";
}

std::string describe_link(const link_record& link) {
    if (!link.troubled()) return {};
    std::vector<std::string> parts;
    auto times = [](std::uint32_t n) { return n == 1 ? std::string("once") : fmt::format("{} times", n); };
    if (link.lost > 0)
        parts.push_back(fmt::format("taken for lost {} (silent for {:.1f}s; its longest silence {:.1f}s: a link that "
                                    "drops packets makes TCP wait ever longer before it sends them again)",
                                    times(link.lost), link.lost_after_s, link.longest_silence_s));
    if (link.streams_closed > 0)
        parts.push_back(fmt::format("its stream closed under it {} (the network or the worker's side ended it)",
                                    times(link.streams_closed)));
    if (link.rejoined > 0) parts.push_back(fmt::format("came back {}, resending what the master lacked", times(link.rejoined)));
    if (link.merged_intervals > 0)
        parts.push_back(fmt::format("{} interval(s) merged into later snapshots: the control link was behind, each "
                                    "merged snapshot counted where it ends; the longest a snapshot took to arrive {:.1f}s",
                                    link.merged_intervals, link.longest_delay_s));
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out;
}

bool all_passed(const std::vector<verdict>& verdicts) {
    return std::all_of(verdicts.begin(), verdicts.end(), [](const verdict& v) { return v.passed; });
}

}  // namespace stampede::report
