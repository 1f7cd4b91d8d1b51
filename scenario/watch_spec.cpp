#include "scenario/watch_spec.hpp"

#include <algorithm>

#include "watch/prometheus_source.hpp"
#include "watch/resource_source.hpp"

namespace stampede::lang {

bool plain_watch_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::vector<watch::series_info> watched_series_of(const watch_spec& spec) {
    std::vector<watch::series_info> out;
    for (const auto& p : spec.prometheus)
        for (const auto& s : p.series) out.push_back({s.name, watch::unit_of({s.name, s.query, s.share_with})});
    auto add_resource = [&](const std::string& name) {
        for (auto& info : watch::resource_series(name)) out.push_back(std::move(info));
    };
    for (const auto& p : spec.processes) add_resource(p.name);
    for (const auto& c : spec.cgroups) add_resource(c.name);
    for (const auto& c : spec.containers) add_resource(c.name);
    return out;
}

}  // namespace stampede::lang
