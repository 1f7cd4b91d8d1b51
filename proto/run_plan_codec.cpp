#include "proto/run_plan_codec.hpp"

namespace stampede::wire {

void encode_run_plan(const lang::run_plan& plan, v1::RunPlan& out) {
    out.set_scenario_path(plan.scenario_path);
    out.set_scenario_yaml(plan.scenario_yaml);
    for (const auto& [name, content] : plan.files) (*out.mutable_files())[name] = content;
    for (const auto& [name, value] : plan.environment) (*out.mutable_environment())[name] = value;
    const auto& o = plan.overrides;
    if (o.host) out.set_target(*o.host);
    if (o.profile) out.set_profile(*o.profile);
    if (o.users) out.set_users(static_cast<std::uint32_t>(*o.users));
    if (o.spawn_rate) out.set_spawn_rate(*o.spawn_rate);
    if (o.run_time) out.set_run_time_us(static_cast<std::uint64_t>(o.run_time->count()));
    for (const auto& t : o.tags) out.add_tags(t);
    for (const auto& t : o.exclude_tags) out.add_exclude_tags(t);
    for (const auto& h : o.host_urls) out.add_host_urls(h);
    out.set_seed(plan.seed);
}

lang::run_plan decode_run_plan(const v1::RunPlan& in) {
    lang::run_plan plan;
    plan.scenario_path = in.scenario_path();
    plan.scenario_yaml = in.scenario_yaml();
    plan.files.insert(in.files().begin(), in.files().end());
    plan.environment.insert(in.environment().begin(), in.environment().end());
    auto& o = plan.overrides;
    if (in.has_target()) o.host = in.target();
    if (in.has_profile()) o.profile = in.profile();
    if (in.has_users()) o.users = static_cast<int>(std::min<std::uint32_t>(in.users(), INT32_MAX));
    if (in.has_spawn_rate()) o.spawn_rate = in.spawn_rate();
    if (in.has_run_time_us())
        o.run_time = common::micros(static_cast<common::micros::rep>(std::min<std::uint64_t>(in.run_time_us(), INT64_MAX)));
    o.tags.assign(in.tags().begin(), in.tags().end());
    o.exclude_tags.assign(in.exclude_tags().begin(), in.exclude_tags().end());
    o.host_urls.assign(in.host_urls().begin(), in.host_urls().end());
    plan.seed = in.seed();
    return plan;
}

}  // namespace stampede::wire
