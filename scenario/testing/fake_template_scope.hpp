#pragma once
// Test support for the scenario language, a library of its own (stampede_scenario_testing) that
// unit tests and fuzz targets link: the names a template may use in the template tests and the
// template fuzz target: two variables (job_id, note), a data set `queries` with columns query and
// complexity, and one environment variable, API_KEY.
#include "scenario/template.hpp"

namespace stampede::lang::testing {

template_scope fake_template_scope();

}  // namespace stampede::lang::testing
