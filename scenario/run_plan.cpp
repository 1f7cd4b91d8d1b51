#include "scenario/run_plan.hpp"

#include "common/text_file.hpp"
#include "scenario/loader/scenario_loader.hpp"

namespace stampede::lang {

namespace {

common::result<shaped_run> shape(run_plan plan, scenario_load_result loaded) {
    if (!loaded.ok()) return common::fail(loaded.format());
    auto load = apply_load_plan(*loaded.value, plan.overrides);
    if (!load) return load.why();
    return shaped_run{std::move(plan), std::move(*loaded.value), *load};
}

// Names looked up in the plan's own maps: what the master read is what every worker reads.
load_options plan_sources(const run_plan& plan) {
    load_options sources;
    sources.read_file = [&plan](const std::string& name) -> common::result<std::string> {
        auto it = plan.files.find(name);
        if (it == plan.files.end()) return common::fail("not among the files the master sent");
        return it->second;
    };
    sources.environment = [&plan](const std::string& name) -> std::optional<std::string> {
        auto it = plan.environment.find(name);
        return it == plan.environment.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    return sources;
}

}  // namespace

common::result<shaped_run> plan_run(const std::string& scenario_path, const load_overrides& overrides,
                                    std::uint64_t seed) {
    run_plan plan;
    plan.scenario_path = scenario_path;
    plan.overrides = overrides;
    plan.seed = seed;
    auto text = common::read_text_file(scenario_path, max_scenario_bundle_bytes);
    if (!text) return common::fail(scenario_path + ":0:0: cannot read the scenario file: " + text.error() + "\n");
    plan.scenario_yaml = std::move(*text);
    auto loaded = load_scenario_text(plan.scenario_yaml, scenario_path, file_system_sources(scenario_path));
    if (loaded.ok()) {
        plan.files = loaded.value->files;
        plan.environment = loaded.value->environment;
    }
    return shape(std::move(plan), std::move(loaded));
}

common::result<shaped_run> shape_run(run_plan plan) {
    auto loaded = load_scenario_text(plan.scenario_yaml, plan.scenario_path, plan_sources(plan));
    return shape(std::move(plan), std::move(loaded));
}

}  // namespace stampede::lang
