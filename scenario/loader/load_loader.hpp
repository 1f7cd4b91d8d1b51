#pragma once
// Reads a load (the file's `load`, or a profile): users, a spawn rate and a run time, or a
// shape: a list of stages, or a staircase read into stages; and the conditions that stop it. Part of the scenario loader; see
// yaml_reader.hpp.
#include "scenario/loader/threshold_loader.hpp"

namespace stampede::lang::detail {

// A staircase may not make more stages than this: a shape is read, not generated without end.
inline constexpr std::size_t max_stages = 10'000;

class load_reader : public threshold_reader {
public:
    explicit load_reader(std::vector<diagnostic>& problems) : threshold_reader(problems) {}

    // `profile`: a profile may also carry thresholds, the file's load not (they are the file's own key).
    load_spec read_load(const YAML::Node& n, bool profile = false);
    // A class's `arrival_rate`: a rate, or {rate | stages, arrivals, users, max_users, max_delay}.
    std::optional<arrival_spec> read_arrivals(const YAML::Node& n);

private:
    std::optional<std::vector<stage_spec>> read_stages(const YAML::Node& n);
    std::optional<stage_spec> read_stage(const YAML::Node& n);
    bool read_class_counts(const YAML::Node& v, stage_spec& stage);
    std::optional<std::vector<stage_spec>> read_staircase(const YAML::Node& n, std::optional<double> spawn_rate);
    std::optional<capacity_search_spec> read_capacity_search(const YAML::Node& n, std::optional<double> spawn_rate);
    std::optional<capacity_search_spec> checked_search(const YAML::Node& n, capacity_search_spec s);
    std::optional<std::vector<arrival_stage>> read_arrival_stages(const YAML::Node& n);
};

// What a load names (endpoints in its conditions, classes in its stages and arrival rates),
// resolved against the scenario; a name that matches none is a problem, with did-you-mean.
void resolve_load_names(const scenario& sc, load_spec& load, std::vector<diagnostic>& problems);

}  // namespace stampede::lang::detail
