#pragma once
// Reads what a user does: tasks, steps (one request each), their checks, extractions and
// JSON-RPC envelopes. Part of the scenario loader; see yaml_reader.hpp.
#include "scenario/yaml_reader.hpp"

namespace stampede::lang::detail {

class step_reader : public yaml_reader {
public:
    step_reader(std::vector<diagnostic>& problems, scenario& sc) : yaml_reader(problems), sc_(sc) {}

    task_spec read_task(const YAML::Node& n, const template_scope& scope);
    std::vector<step_spec> read_steps(const YAML::Node& n, std::string_view what, const template_scope& scope);

protected:
    scenario& sc_;

private:
    step_spec read_step(const YAML::Node& n, const template_scope& scope, bool allow_task_keys);
    void read_request(const YAML::Node& n, const template_scope& scope, step_spec& step, std::string_view what);
    std::optional<check_spec> read_check(const YAML::Node& n, const template_scope& scope);
    bool read_predicate(const YAML::Node& n, const template_scope& scope, check_spec& c, const keys& allowed);
    std::optional<extract_spec> read_extract(const std::string& name, const YAML::Node& n);
};

// The names a user class's steps extract into, wherever they are (on_start, tasks, on_stop):
// a user keeps its variables from one task to the next.
void collect_extracted_names(const YAML::Node& class_node, std::vector<std::string>& out);

}  // namespace stampede::lang::detail
