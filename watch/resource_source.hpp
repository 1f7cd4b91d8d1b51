#pragma once
// A process, a cgroup or a container on the master's machine as a watched source: four series, `NAME.cpu`
// (cores in use: CPU seconds a second), `NAME.memory` (bytes), `NAME.io_read` and `NAME.io_write`
// (bytes a second), each rate over the time since the last reading. A process found by name or
// pid file is looked for again when it is gone (a restarted service); its counters then start
// over, so the first rates after it are left out rather than made up.
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/result.hpp"
#include "watch/resource_probe.hpp"
#include "watch/watched_source.hpp"

namespace stampede::watch {

// A cgroup by its path (absolute, or under the cgroup filesystem's root).
struct cgroup_target {
    std::string path;
};

// A container by its name or id (podman's or docker's): its main process's cgroup, found again
// when the container is gone (restarted: a new process, a new cgroup).
struct container_target {
    std::string container;
};

using resource_target = std::variant<process_target, cgroup_target, container_target>;

// The four series of a process or cgroup named `name`, with their units.
std::vector<series_info> resource_series(const std::string& name);

class resource_source final : public watched_source {
public:
    resource_source(std::string name, resource_target target,
                    std::filesystem::path proc = "/proc", std::filesystem::path cgroup_root = "/sys/fs/cgroup");

    // Whether it can be read now: a run names no process or cgroup it cannot find.
    common::status ready();

    const std::string& label() const override { return label_; }
    const std::vector<series_info>& series() const override { return info_; }
    // A container is found by asking its runtime, which may take a while.
    bool may_wait() const override { return std::holds_alternative<container_target>(target_); }
    source_reading read(std::chrono::steady_clock::time_point now) override;

private:
    common::result<resource_reading> totals();
    common::result<resource_reading> container_totals(const container_target& container);

    std::string label_;
    resource_target target_;
    std::filesystem::path proc_, cgroup_root_;
    std::vector<series_info> info_;
    std::optional<int> pid_;  // the process read last
    std::optional<std::string> container_cgroup_;  // the container's cgroup, as last found
    std::optional<resource_reading> last_;
    std::chrono::steady_clock::time_point last_at_;
};

}  // namespace stampede::watch
