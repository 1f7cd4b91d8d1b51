#pragma once
// Reads a scenario's `watch:` section: its interval, the service's Prometheus endpoints and the
// series each names, and the processes, cgroups and containers to read on the master's machine. Every name
// is checked (plain, unique: thresholds name it), every selector parsed where it is written.
// Part of the scenario loader; see yaml_reader.hpp.
#include <set>

#include "scenario/loader/yaml_reader.hpp"

namespace stampede::lang::detail {

// Bounds on what one master reads each interval.
inline constexpr std::size_t max_watched_sources = 100;
inline constexpr std::size_t max_watched_series = 10'000;

class watch_reader : public yaml_reader {
public:
    using yaml_reader::yaml_reader;

    void read(const YAML::Node& n, const std::vector<host_spec>& hosts, watch_spec& out);

private:
    std::optional<prometheus_watch> read_source(const YAML::Node& n, const std::vector<host_spec>& hosts);
    void read_series(const YAML::Node& n, prometheus_watch& source);
    std::optional<watched_series> read_one(const YAML::Node& key, const YAML::Node& spec);
    std::optional<watch::series_query> read_selector(const YAML::Node& n, std::string_view what);
    std::optional<process_watch> read_process(const YAML::Node& key, const YAML::Node& spec);
    // NAME: TEXT entries of a map (cgroups' paths, containers' names), each name taken once.
    std::vector<std::pair<std::string, std::string>> read_named_texts(const YAML::Node& map, const std::string& what,
                                                                      std::size_t longest);
    // Whether `key` is a name a series may have (plain, not yet used); reported when not.
    bool take_name(const YAML::Node& key);

    std::set<std::string> names_;
    std::size_t series_ = 0;
};

}  // namespace stampede::lang::detail
