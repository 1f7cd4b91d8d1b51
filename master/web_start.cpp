#include "master/web_start.hpp"

#include "master/user_dispatch.hpp"

#include <algorithm>

namespace stampede::master {

namespace {

// A start's classes must be the run's closed ones (open classes run at their rates).
common::status check_classes(const lang::scenario& sc, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        const auto it = std::find_if(sc.user_classes.begin(), sc.user_classes.end(), [&](const auto& c) { return c.name == name; });
        if (it == sc.user_classes.end())
            return common::fail("no user class '" + name.substr(0, 80) + "' in the run");
        if (it->arrivals) return common::fail("'" + name + "' is an open-model class: it runs at its arrival rate");
    }
    return {};
}

std::vector<std::string> threshold_texts(const std::vector<lang::threshold_spec>& thresholds) {
    std::vector<std::string> out;
    for (const auto& t : thresholds) out.push_back(t.endpoint.empty() ? t.text : t.text + " (" + t.endpoint + ")");
    return out;
}

// The profiles a start may pick, each with the load it gives.
nlohmann::json profile_offer(const lang::scenario& sc) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [name, spec] : sc.profiles) {
        const auto load = lang::profile_load(sc, name);
        if (!load) continue;
        out.push_back({{"name", name}, {"users", load->users}, {"spawn_rate", load->spawn_rate},
                       {"run_time_s", load->run_time ? nlohmann::json(std::chrono::duration<double>(*load->run_time).count())
                                                     : nlohmann::json(nullptr)},
                       {"stages", load->stages.size()}, {"search", load->search.has_value()},
                       {"thresholds", spec.thresholds ? nlohmann::json(threshold_texts(*spec.thresholds)) : nlohmann::json(nullptr)}});
    }
    return out;
}

}  // namespace

// A start from the page, as if its fields were the flags: a profile or tags it picks replace
// the command line's and re-shape the run from its plan; its users, spawn rate and run time
// replace the command line's and beat the profile's. Without a profile it runs its users at its
// rate for its run time, else the command line's, or until stopped. Picked classes share the
// users of a plain load.
common::result<lang::shaped_run> plan_start(const lang::shaped_run& run, const start_request& s) {
    auto plan = run.plan;
    auto& o = plan.overrides;
    if (s.profile && !s.profile->empty() && !run.sc.profiles.count(*s.profile)) {
        std::string names;
        for (const auto& [name, _] : run.sc.profiles) names += (names.empty() ? "" : ", ") + name;
        return common::fail("no profile '" + s.profile->substr(0, 80) + "' in the scenario" +
                            (names.empty() ? std::string(" (it has none)") : " (profiles: " + names + ")"));
    }
    if (s.profile) o.profile = s.profile->empty() ? std::nullopt : s.profile;
    o.users = s.users;
    o.spawn_rate = s.spawn_rate;
    if (s.run_time) o.run_time = s.run_time;  // none given: the command line's -t stands
    if (s.tags) o.tags = *s.tags;
    if (s.exclude_tags) o.exclude_tags = *s.exclude_tags;
    auto shaped = lang::shape_run(std::move(plan));
    if (!shaped) {
        const std::string flags = "--tags/--exclude-tags: ";
        const auto& why = shaped.error();
        return common::fail(why.starts_with(flags) ? "the tags picked: " + why.substr(flags.size()) : why);
    }
    if (!s.profile && !o.run_time) shaped->load.run_time.reset();  // users at a rate: until stopped
    if (!s.classes.empty()) {
        if (!shaped->load.stages.empty() || shaped->load.search)
            return common::fail("user classes are picked for a plain load (users at a spawn rate): this one has stages");
        if (auto ok = check_classes(shaped->sc, s.classes); !ok) return ok.why();
        lang::leave_out_unpicked_classes(shaped->sc, s.classes);
    }
    return shaped;
}

// Whether the workers must shape the run again: what they run, not what the master assigns.
bool workers_replan(const lang::load_overrides& was, const lang::load_overrides& now) {
    return was.profile != now.profile || was.tags != now.tags || was.exclude_tags != now.exclude_tags;
}

// What the page's start form offers: the run's classes and load, the scenario's profiles and
// tags, and the choices made (the command line's, or the start's).
nlohmann::json scenario_offer(const lang::shaped_run& run) {
    nlohmann::json classes = nlohmann::json::array();
    for (const auto& c : run.sc.user_classes)
        classes.push_back({{"name", c.name}, {"weight", c.weight}, {"open", c.arrivals.has_value()},
                           {"fixed_count", c.fixed_count ? nlohmann::json(*c.fixed_count) : nlohmann::json(nullptr)}});
    const auto& o = run.plan.overrides;
    return {{"scenario", run.sc.source_path}, {"host", run.sc.default_host().url ? run.sc.default_host().url->url() : ""}, {"user_classes", std::move(classes)},
            {"users", run.load.users}, {"spawn_rate", run.load.spawn_rate},
            {"run_time_s", run.load.run_time ? nlohmann::json(std::chrono::duration<double>(*run.load.run_time).count())
                                             : nlohmann::json(nullptr)},
            {"stages", run.load.stages.size()}, {"profile", o.profile ? nlohmann::json(*o.profile) : nlohmann::json(nullptr)},
            {"profiles", profile_offer(run.sc)}, {"all_tags", run.sc.tags},
            {"tags", o.tags}, {"exclude_tags", o.exclude_tags}, {"thresholds", threshold_texts(run.sc.thresholds)}};
}

// The users per class: shared by the picked classes' weights (none picked: every class's).
std::vector<int> users_over(const lang::scenario& sc, const std::vector<std::string>& picked, int users) {
    if (picked.empty()) return users_per_class(sc.user_classes, users);
    std::vector<lang::user_class_spec> chosen;
    for (const auto& c : sc.user_classes)
        if (std::find(picked.begin(), picked.end(), c.name) != picked.end()) chosen.push_back(c);
    const auto split = users_per_class(chosen, users);
    std::vector<int> per_class(sc.user_classes.size(), 0);
    for (std::size_t i = 0, j = 0; i < sc.user_classes.size() && j < chosen.size(); ++i)
        if (sc.user_classes[i].name == chosen[j].name) per_class[i] = split[j++];
    return per_class;
}

}  // namespace stampede::master
