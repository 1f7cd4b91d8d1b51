#pragma once
// Reads pass/fail targets (`thresholds`) and the conditions that end a run (`stop_when`):
// each the text of a condition, or a map with its scope and how it is judged while the run
// goes. Part of the scenario loader; see yaml_reader.hpp.
#include "scenario/loader/yaml_reader.hpp"

namespace stampede::lang::detail {

class threshold_reader : public yaml_reader {
public:
    explicit threshold_reader(std::vector<diagnostic>& problems) : yaml_reader(problems) {}

    // "METRIC OP VALUE", or {expect, endpoint, window, grace, abort_on_fail, no_data}.
    std::vector<threshold_spec> read_thresholds(const YAML::Node& n);
    // "METRIC OP VALUE", which stops the run when it holds, or {when, endpoint, window, grace};
    // judged over a sliding window (10 s unless given).
    std::vector<threshold_spec> read_stop_conditions(const YAML::Node& n);

private:
    std::vector<threshold_spec> read_conditions(const YAML::Node& n, bool stop);
    std::optional<threshold_spec> read_condition(const YAML::Node& item, bool stop);
    bool read_judging(const YAML::Node& item, threshold_spec& t);
};

// A condition's endpoint names one or more endpoints (every method of the name, or
// "METHOD name"); a name that matches none is a problem where it was written.
void resolve_condition_endpoints(const scenario& sc, std::vector<threshold_spec>& conditions,
                                 std::vector<diagnostic>& problems);

}  // namespace stampede::lang::detail
