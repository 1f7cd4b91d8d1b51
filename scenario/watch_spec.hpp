#pragma once
// What a scenario's `watch:` section asks the master to read of the service under load, beside
// the load: series from the service's Prometheus endpoints, and the CPU, memory and I/O of
// processes, cgroups and containers on the master's machine. Each is named; a threshold or the report
// names it as `watch.NAME` (a process's, cgroup's or container's figures as `watch.NAME.cpu`, `.memory`,
// `.io_read`, `.io_write`).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/duration.hpp"
#include "watch/resource_probe.hpp"
#include "watch/series_query.hpp"
#include "watch/watched_source.hpp"

namespace stampede::lang {

// One series a user named: a selector read one way, or the share one selector's rate has of
// two (`share: [hits, misses]`: hits / (hits + misses)).
struct watched_series {
    std::string name;
    watch::series_query query;
    std::optional<watch::series_query> share_with;  // set: query's rate over (query's + this one's)
    int line = 0, column = 0;
};

// A Prometheus endpoint of the service: an absolute URL, or a path on one of the scenario's hosts
// (so that `-H` moves the watch with the load).
struct prometheus_watch {
    std::optional<std::string> url;  // http:// or https://, with its path
    std::uint32_t host = 0;          // else: this host of the scenario, at `path`
    std::string path = "/metrics";
    std::vector<std::pair<std::string, std::string>> headers;
    common::micros timeout{std::chrono::seconds(2)};
    std::vector<watched_series> series;
    int line = 0, column = 0;
};

struct process_watch {
    std::string name;
    watch::process_target target;
};

struct cgroup_watch {
    std::string name;
    std::string path;
};

struct container_watch {
    std::string name;
    std::string container;  // its name or id, as podman or docker knows it
};

struct watch_spec {
    std::optional<common::micros> interval;  // none: the report's interval
    std::vector<prometheus_watch> prometheus;
    std::vector<process_watch> processes;
    std::vector<cgroup_watch> cgroups;
    std::vector<container_watch> containers;

    bool empty() const { return prometheus.empty() && processes.empty() && cgroups.empty() && containers.empty(); }
};

// Whether `name` may name a watched source or series: 1 to 64 letters, digits, '_' or '-' (it
// goes into thresholds, result keys and metric names).
bool plain_watch_name(std::string_view name);

// The longest a container's name or id, and a cgroup's or pid file's path or a process's name,
// may be: longer ones are mistakes, said as such rather than quoted whole.
inline constexpr std::size_t max_container_name = 256;
inline constexpr std::size_t max_watched_path = 4096;

// Every series the section names, with its unit, in the order a run reads them: each endpoint's,
// then each process's, each cgroup's and each container's four (NAME.cpu, .memory, .io_read, .io_write).
std::vector<watch::series_info> watched_series_of(const watch_spec& spec);

}  // namespace stampede::lang
