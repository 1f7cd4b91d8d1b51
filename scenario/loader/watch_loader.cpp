#include "scenario/loader/watch_loader.hpp"

#include <algorithm>

#include "common/utf8.hpp"
#include "scenario/base_url.hpp"
#include "scenario/loader/host_loader.hpp"
#include "scenario/request_text.hpp"

namespace stampede::lang::detail {

namespace {

const keys watch_keys = {"interval", "prometheus", "processes", "cgroups", "containers"};
const keys source_keys = {"url", "host", "path", "headers", "timeout", "series"};
const keys series_keys = {"select", "read", "share"};
const keys process_keys = {"pid", "pid_file", "name"};


}  // namespace

void watch_reader::read(const YAML::Node& n, const std::vector<host_spec>& hosts, watch_spec& out) {
    if (!expect_map(n, "watch")) return;
    check_keys(n, watch_keys, "watch");
    if (const auto& v = n["interval"]) {
        out.interval = get_duration(v, "interval");
        if (out.interval && *out.interval < std::chrono::milliseconds(100)) {
            problem(v, "watch interval: at least 100ms");
            out.interval.reset();
        }
    }
    if (const auto& v = n["prometheus"]) {
        if (!v.IsSequence()) problem(v, "prometheus: a list of endpoints, each {url: ...} or {path: ..., host: ...}");
        else if (v.size() > max_watched_sources) problem(v, "prometheus: at most " + std::to_string(max_watched_sources) + " endpoints");
        else
            for (const auto& source : v)
                if (auto read = read_source(source, hosts)) out.prometheus.push_back(std::move(*read));
    }
    if (const auto& v = n["processes"]; v && expect_map(v, "processes"))
        for (auto it = v.begin(); it != v.end(); ++it)
            if (auto p = read_process(it->first, it->second)) out.processes.push_back(std::move(*p));
    if (const auto& v = n["cgroups"]; v && expect_map(v, "cgroups"))
        for (const auto& [name, path] : read_named_texts(v, "a cgroup's path", max_watched_path))
            out.cgroups.push_back({name, path});
    if (const auto& v = n["containers"]; v && expect_map(v, "containers"))
        for (const auto& [name, container] : read_named_texts(v, "a container's name or id", max_container_name))
            out.containers.push_back({name, container});
    if (!n["prometheus"] && !n["processes"] && !n["cgroups"] && !n["containers"])
        problem(n, "watch names nothing to read: give it prometheus, processes, cgroups or containers");
}

std::optional<prometheus_watch> watch_reader::read_source(const YAML::Node& n, const std::vector<host_spec>& hosts) {
    if (!expect_map(n, "a prometheus endpoint")) return std::nullopt;
    check_keys(n, source_keys, "prometheus endpoint");
    prometheus_watch source;
    source.line = n.Mark().line + 1;
    source.column = n.Mark().column + 1;
    if (const auto& v = n["url"]) {
        if (n["host"]) problem(n["host"], "give either 'url' or 'host' (with 'path'), not both");
        if (auto text = get_string(v, "url")) {
            if (auto url = parse_host_url(*text); !url) problem(v, url.error());
            else source.url = *text;
        }
    } else if (const auto& v = n["host"]) {
        if (auto index = find_host(*this, v, hosts)) source.host = *index;
    }
    if (const auto& v = n["path"]) {
        if (n["url"]) problem(v, "'path' goes with 'host'; a 'url' holds its own path");
        auto path = get_string(v, "path");
        if (path && (path->empty() || path->front() != '/' || path_text_problem(*path))) problem(v, "path: from '/', with no spaces or controls");
        else if (path) source.path = *path;
    }
    if (const auto& v = n["headers"]; v && expect_map(v, "headers"))
        for (auto it = v.begin(); it != v.end(); ++it) {
            const auto name = it->first.Scalar();
            auto value = get_string(it->second, "a header's value");
            if (auto bad = header_name_problem(name)) problem(it->first, *bad);
            else if (value && header_value_problem(*value)) problem(it->second, *header_value_problem(*value));
            else if (value) source.headers.emplace_back(name, *value);
        }
    if (const auto& v = n["timeout"]) source.timeout = get_duration(v, "timeout").value_or(source.timeout);
    const auto& series = n["series"];
    if (!series) problem(n, "a prometheus endpoint with no 'series': name what to read of it");
    else read_series(series, source);
    return source;
}

void watch_reader::read_series(const YAML::Node& n, prometheus_watch& source) {
    if (!expect_map(n, "series")) return;
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (++series_ > max_watched_series) {
            problem(it->first, "at most " + std::to_string(max_watched_series) + " watched series");
            return;
        }
        if (auto one = read_one(it->first, it->second)) source.series.push_back(std::move(*one));
    }
}

// NAME: SELECTOR, NAME: {select: SELECTOR, read: HOW}, or NAME: {share: [A, B]}.
std::optional<watched_series> watch_reader::read_one(const YAML::Node& key, const YAML::Node& spec) {
    if (!take_name(key)) return std::nullopt;
    watched_series s;
    s.name = key.Scalar();
    s.line = key.Mark().line + 1;
    s.column = key.Mark().column + 1;
    if (!spec.IsMap()) {
        auto q = read_selector(spec, "a series");
        if (!q) return std::nullopt;
        s.query = std::move(*q);
        return s;
    }
    check_keys(spec, series_keys, "series");
    if (const auto& share = spec["share"]) {
        if (spec["select"] || spec["read"]) problem(share, "'share' reads two counters' rates: no 'select' or 'read' beside it");
        if (!share.IsSequence() || share.size() != 2) {
            problem(share, "share: [PART, REST], two selectors: PART's rate over PART's and REST's (hits over hits and misses)");
            return std::nullopt;
        }
        auto part = read_selector(share[0], "share");
        auto rest = read_selector(share[1], "share");
        if (!part || !rest) return std::nullopt;
        part->read = rest->read = watch::reading::rate;
        s.query = std::move(*part);
        s.share_with = std::move(*rest);
        return s;
    }
    const auto& select = spec["select"];
    if (!select) {
        problem(spec, "series '" + s.name + "' has no 'select' (or 'share')");
        return std::nullopt;
    }
    auto q = read_selector(select, "select");
    if (!q) return std::nullopt;
    s.query = std::move(*q);
    if (const auto& how = spec["read"])
        if (auto text = get_string(how, "read"))
            if (auto ok = watch::parse_reading(*text, s.query); !ok) problem(how, ok.error());
    return s;
}

std::optional<watch::series_query> watch_reader::read_selector(const YAML::Node& n, std::string_view what) {
    auto text = get_string(n, what);
    if (!text) return std::nullopt;
    std::size_t at = 0;
    auto q = watch::parse_selector(*text, &at);
    if (!q) {
        problem_in(n, at, "selector: " + q.error());
        return std::nullopt;
    }
    return std::move(*q);
}

// NAME: PROCESS_NAME, or NAME: {pid: N}, {pid_file: FILE} or {name: PROCESS_NAME}.
std::optional<process_watch> watch_reader::read_process(const YAML::Node& key, const YAML::Node& spec) {
    if (!take_name(key)) return std::nullopt;
    process_watch p{key.Scalar(), {}};
    if (!spec.IsMap()) {
        auto name = get_string(spec, "a process's name");
        if (!name || name->empty()) return std::nullopt;
        if (name->size() > max_watched_path) {
            problem(spec, "a process's name past " + std::to_string(max_watched_path) + " bytes");
            return std::nullopt;
        }
        p.target.name = *name;
        return p;
    }
    check_keys(spec, process_keys, "process");
    const int given = (spec["pid"] ? 1 : 0) + (spec["pid_file"] ? 1 : 0) + (spec["name"] ? 1 : 0);
    if (given != 1) {
        problem(spec, "a process is found by one of pid, pid_file or name");
        return std::nullopt;
    }
    if (const auto& v = spec["pid"]) p.target.pid = static_cast<int>(get_int(v, "pid", 1, 4194304).value_or(0));
    if (const auto& v = spec["pid_file"]) p.target.pid_file = get_string(v, "pid_file").value_or("");
    if (const auto& v = spec["name"]) p.target.name = get_string(v, "name").value_or("");
    if (p.target.pid == 0 && p.target.pid_file.empty() && p.target.name.empty()) return std::nullopt;
    if (p.target.pid_file.size() > max_watched_path || p.target.name.size() > max_watched_path) {
        problem(spec, "a process's name or pid file past " + std::to_string(max_watched_path) + " bytes");
        return std::nullopt;
    }
    return p;
}

std::vector<std::pair<std::string, std::string>> watch_reader::read_named_texts(const YAML::Node& map, const std::string& what,
                                                                              std::size_t longest) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!take_name(it->first)) continue;
        auto text = get_string(it->second, what);
        if (text && text->size() > longest) problem(it->second, what + " past " + std::to_string(longest) + " bytes");
        else if (text && !text->empty()) out.emplace_back(it->first.Scalar(), *text);
        else if (text) problem(it->second, what + " is empty");
    }
    return out;
}

bool watch_reader::take_name(const YAML::Node& key) {
    const auto name = key.Scalar();
    if (!plain_watch_name(name)) {
        problem(key, "watched name '" + common::shortened_utf8(name, 80) + "': use 1 to 64 letters, digits, '_' or '-'");
        return false;
    }
    if (!names_.insert(name).second) {
        problem(key, "'" + name + "' is watched twice: each name once, across prometheus, processes, cgroups and containers");
        return false;
    }
    return true;
}

}  // namespace stampede::lang::detail
