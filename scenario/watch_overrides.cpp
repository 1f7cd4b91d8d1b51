#include "scenario/watch_overrides.hpp"

#include <algorithm>
#include <charconv>

#include "common/utf8.hpp"

namespace stampede::lang {

namespace {

using common::fail;


struct named_value {
    std::string name, value;
};

common::result<named_value> split(const std::string& flag, const std::string& pair, std::size_t longest = std::string::npos) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq + 1 == pair.size())
        return fail(flag + " '" + common::shortened_utf8(pair, 120) + "': give NAME=VALUE");
    named_value out{pair.substr(0, eq), pair.substr(eq + 1)};
    if (out.value.size() > longest)
        return fail(flag + " " + common::shortened_utf8(out.name, 80) + ": a value past " + std::to_string(longest) + " bytes");
    if (!plain_watch_name(out.name))
        return fail(flag + " '" + common::shortened_utf8(out.name, 80) + "': a name is 1 to 64 letters, digits, '_' or '-'");
    return out;
}

common::result<watch::process_target> process_of(const std::string& text) {
    watch::process_target target;
    if (text.starts_with("pid:")) {
        const auto digits = text.substr(4);
        int pid = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
        if (ec != std::errc() || end != digits.data() + digits.size() || pid < 1 || pid > 4194304)
            return fail("'" + common::shortened_utf8(text, 80) + "' is not pid:N with N a process id");
        target.pid = pid;
    } else if (text.starts_with("pid-file:")) {
        target.pid_file = text.substr(9);
        if (target.pid_file.empty()) return fail("pid-file: names no file");
    } else {
        target.name = text;
    }
    return target;
}

// Replaces the entry named `name`, or adds one.
template <class Entry>
void put(std::vector<Entry>& entries, Entry entry) {
    const auto same = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == entry.name; });
    if (same != entries.end()) *same = std::move(entry);
    else entries.push_back(std::move(entry));
}

common::status add_series(watch_spec& spec, const named_value& s) {
    std::size_t at = 0;
    auto query = watch::parse_selector(s.value, &at);
    if (!query) return fail("--watch-series " + s.name + ": " + query.error() + " (at " + std::to_string(at + 1) + ")");
    if (spec.prometheus.empty()) spec.prometheus.push_back(prometheus_watch{});  // the default host's /metrics
    put(spec.prometheus.front().series, watched_series{s.name, std::move(*query), std::nullopt, 0, 0});
    return {};
}

}  // namespace

common::status apply_watch_overrides(watch_spec& spec, const watch_overrides& overrides) {
    if (overrides.interval && *overrides.interval < std::chrono::milliseconds(100))
        return fail("--watch-interval: at least 100ms");
    if (overrides.interval) spec.interval = overrides.interval;
    for (const auto& pair : overrides.processes) {
        auto p = split("--watch-process", pair, max_watched_path);
        if (!p) return p.why();
        auto target = process_of(p->value);
        if (!target) return fail("--watch-process " + p->name + ": " + target.error());
        put(spec.processes, process_watch{p->name, std::move(*target)});
    }
    for (const auto& pair : overrides.cgroups) {
        auto c = split("--watch-cgroup", pair, max_watched_path);
        if (!c) return c.why();
        put(spec.cgroups, cgroup_watch{c->name, c->value});
    }
    for (const auto& pair : overrides.containers) {
        auto c = split("--watch-container", pair, max_container_name);
        if (!c) return c.why();
        put(spec.containers, container_watch{c->name, c->value});
    }
    for (const auto& pair : overrides.series) {
        auto s = split("--watch-series", pair);
        if (!s) return s.why();
        if (auto added = add_series(spec, *s); !added) return added;
    }
    std::vector<std::string> names;
    for (const auto& s : watched_series_of(spec)) names.push_back(s.name);
    std::sort(names.begin(), names.end());
    if (const auto twice = std::adjacent_find(names.begin(), names.end()); twice != names.end())
        return fail("--watch-process, --watch-cgroup, --watch-container, --watch-series: '" + *twice +
                    "' is watched twice: each name once");
    return {};
}

}  // namespace stampede::lang
