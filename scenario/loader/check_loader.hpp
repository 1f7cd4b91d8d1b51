#pragma once
// Reads what a step asks of its response: checks (one subject each, with its predicate) and
// extractions into variables. Part of the scenario loader; see yaml_reader.hpp.
#include "scenario/loader/yaml_reader.hpp"

namespace stampede::lang::detail {

class check_reader : public yaml_reader {
public:
    check_reader(std::vector<diagnostic>& problems, scenario& sc) : yaml_reader(problems), sc_(sc) {}

    // A check, registered in the scenario's check table; none when it has problems.
    std::optional<check_spec> read_check(const YAML::Node& n, const template_scope& scope);
    std::optional<extract_spec> read_extract(const std::string& name, const YAML::Node& n);

protected:
    scenario& sc_;

private:
    bool refuse_predicates(const YAML::Node& n, const std::string& subject, const keys& others);
    bool read_status_check(const YAML::Node& n, const YAML::Node& v, check_spec& c);
    bool read_json_check(const YAML::Node& n, const YAML::Node& v, const template_scope& scope, check_spec& c);
    bool read_body_check(const YAML::Node& n, const std::string& key, const template_scope& scope, check_spec& c);
    bool read_header_check(const YAML::Node& n, const YAML::Node& v, const template_scope& scope, check_spec& c);
    bool read_latency_check(const YAML::Node& n, const YAML::Node& v, check_spec& c);
    bool read_predicate(const YAML::Node& n, const template_scope& scope, check_spec& c, const keys& allowed);
    bool read_expected(const YAML::Node& v, const std::string& key, const template_scope& scope, check_spec& c);
};

}  // namespace stampede::lang::detail
