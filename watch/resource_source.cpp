#include "watch/resource_source.hpp"

#include "watch/container_lookup.hpp"

#include <utility>

namespace stampede::watch {

namespace {

std::string describe(const std::string& name, const resource_target& target) {
    if (const auto* cgroup = std::get_if<cgroup_target>(&target)) return "cgroup " + name + " (" + cgroup->path + ")";
    if (const auto* c = std::get_if<container_target>(&target)) return "container " + name + " (" + c->container + ")";
    const auto& p = std::get<process_target>(target);
    if (p.pid) return "process " + name + " (pid " + std::to_string(p.pid) + ")";
    if (!p.pid_file.empty()) return "process " + name + " (pid file " + p.pid_file + ")";
    return "process " + name + " (" + p.name + ")";
}

// A total's growth a second; none without an earlier total, or when it went down (counters
// that started over: a new process).
std::optional<double> per_second(const std::optional<double>& before, const std::optional<double>& now, double seconds) {
    if (!before || !now || !(seconds > 0) || *now < *before) return std::nullopt;
    return (*now - *before) / seconds;
}

}  // namespace

resource_source::resource_source(std::string name, resource_target target,
                                 std::filesystem::path proc, std::filesystem::path cgroup_root)
    : label_(describe(name, target)), target_(std::move(target)), proc_(std::move(proc)), cgroup_root_(std::move(cgroup_root)) {
    info_ = resource_series(name);
}

std::vector<series_info> resource_series(const std::string& name) {
    return {{name + ".cpu", "cores"}, {name + ".memory", "B"}, {name + ".io_read", "B/s"}, {name + ".io_write", "B/s"}};
}

common::status resource_source::ready() {
    auto now = totals();
    if (!now) return now.why();
    return {};
}

// The totals now; a process that is gone is looked for again once.
common::result<resource_reading> resource_source::totals() {
    if (const auto* cgroup = std::get_if<cgroup_target>(&target_)) return read_cgroup(cgroup->path, cgroup_root_);
    if (const auto* container = std::get_if<container_target>(&target_)) return container_totals(*container);
    const auto& process = std::get<process_target>(target_);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!pid_) {
            auto found = find_process(process, proc_);
            if (!found) return found.why();
            pid_ = *found;
        }
        if (auto reading = read_process(*pid_, proc_)) return reading;
        pid_.reset();
        if (process.pid) break;  // a pid is that process alone
    }
    return common::fail("the process has exited");
}

// The container's cgroup as last found; asked of its runtime again once, when it is gone.
common::result<resource_reading> resource_source::container_totals(const container_target& container) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!container_cgroup_) {
            auto pid = container_pid(container.container);
            if (!pid) return pid.why();
            auto cgroup = process_cgroup(*pid, proc_.string());
            if (!cgroup) return cgroup.why();
            container_cgroup_ = *cgroup;
            last_.reset();  // a new cgroup: its counters are its own
        }
        if (auto reading = read_cgroup(*container_cgroup_, cgroup_root_)) return reading;
        container_cgroup_.reset();
    }
    return common::fail("container '" + container.container + "' is gone");
}

source_reading resource_source::read(std::chrono::steady_clock::time_point now) {
    source_reading out;
    out.values.resize(info_.size());
    const auto previous_pid = pid_;
    auto totals_now = totals();
    if (!totals_now) {
        out.failure = totals_now.error();
        last_.reset();
        return out;
    }
    if (pid_ != previous_pid) last_.reset();
    const double seconds = std::chrono::duration<double>(now - last_at_).count();
    const resource_reading before = last_.value_or(resource_reading{});
    out.values[0] = per_second(before.cpu_seconds, totals_now->cpu_seconds, seconds);
    out.values[1] = totals_now->memory_bytes;
    out.values[2] = per_second(before.io_read_bytes, totals_now->io_read_bytes, seconds);
    out.values[3] = per_second(before.io_write_bytes, totals_now->io_write_bytes, seconds);
    last_ = *totals_now;
    last_at_ = now;
    return out;
}

}  // namespace stampede::watch
