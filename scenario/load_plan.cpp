#include "scenario/load_plan.hpp"

#include <algorithm>
#include <cstdlib>

#include "common/text_similarity.hpp"
#include "common/utf8.hpp"

namespace stampede::lang {

using namespace common;

namespace {

// Later sources beat earlier ones (the file, a profile, the flags): users or a spawn rate
// make a plain plan, stages a shape.
void apply(run_load& load, const load_spec& spec) {
    if ((spec.users || spec.spawn_rate || spec.stages) && load.search) {
        if (!spec.users) load.users = load.search->max;
        load.search.reset();
    }
    if ((spec.users || spec.spawn_rate || spec.search) && !load.stages.empty()) {
        // A spawn rate alone flattens the shape at its peak, not at the default of one user.
        if (!spec.users) {
            load.users = 0;
            for (const auto& s : load.stages) load.users = std::max(load.users, s.users);
        }
        load.stages.clear();
    }
    if (spec.users) load.users = *spec.users;
    if (spec.spawn_rate) load.spawn_rate = *spec.spawn_rate;
    if (spec.run_time) load.run_time = *spec.run_time;
    if (spec.stop_when) load.stop_when = *spec.stop_when;
    if (spec.search) {
        load.search = *spec.search;
        if (!spec.run_time) load.run_time.reset();
    }
    if (spec.stages) {
        load.stages = *spec.stages;
        if (!spec.run_time) load.run_time.reset();  // an earlier run time was for another shape
    }
}

// A shaped load reports its peak and first rate, and lasts as long as its stages (summed
// with a bound: ten thousand stages of a long duration each would wrap the count).
common::status settle_shape(run_load& load) {
    if (load.search) {  // it ends by itself, at its found load, unless a run time cuts it short
        load.users = load.search->max;
        load.spawn_rate = load.search->spawn_rate.value_or(load.search->start);
        load.stop_when.clear();  // the search's conditions decide where it stops
        return {};
    }
    if (load.stages.empty()) return {};
    constexpr micros::rep longest = 1'000'000'000'000'000;  // 31 years, as parse_duration allows
    micros::rep total = 0;
    load.users = 0;
    for (const auto& s : load.stages) {
        if (s.duration.count() > longest - total) return common::fail("the load's stages last more than 31 years");
        total += s.duration.count();
        load.users = std::max(load.users, s.users);
    }
    load.spawn_rate = stage_spawn_rate(load.stages.front(), 0, 1.0);
    if (!load.run_time) load.run_time = micros(total);
    return {};
}

std::vector<bool> reached_endpoints(scenario& sc, const std::vector<const user_class_spec*>& classes, bool mark);
void leave_out_thresholds(scenario& sc, const std::vector<bool>& reached);

bool intersects(const std::set<std::string>& tags, const std::vector<std::string>& wanted) {
    return std::any_of(wanted.begin(), wanted.end(), [&](const auto& t) { return tags.count(t) > 0; });
}

// Keeps tasks carrying one of `tags` (all when empty) and none of `exclude`; drops user
// classes left without tasks, as Locust does.
void filter_tasks(scenario& sc, const std::vector<std::string>& tags,
                  const std::vector<std::string>& exclude) {
    for (const auto& cls : sc.user_classes)
        for (const auto& task : cls.tasks) sc.tags.insert(task.tags.begin(), task.tags.end());
    for (auto& cls : sc.user_classes) {
        std::erase_if(cls.tasks, [&](const task_spec& t) {
            return (!tags.empty() && !intersects(t.tags, tags)) || intersects(t.tags, exclude);
        });
    }
    std::erase_if(sc.user_classes, [](const user_class_spec& c) { return c.tasks.empty(); });
    // Checks keep their ids (the tallies are indexed by them); those no step runs any more are
    // marked, so results list only what ran. Endpoints no step reaches any more are noted too.
    for (auto& c : sc.checks) c.in_run = false;
    std::vector<const user_class_spec*> all;
    for (const auto& cls : sc.user_classes) all.push_back(&cls);
    leave_out_thresholds(sc, reached_endpoints(sc, all, true));
}

// The endpoints the steps of `classes` reach; their checks marked as in the run when `mark`.
std::vector<bool> reached_endpoints(scenario& sc, const std::vector<const user_class_spec*>& classes, bool mark) {
    std::vector<bool> reached(sc.endpoints.size(), false);
    auto visit = [&](const std::vector<step_spec>& steps) {
        for (const auto& step : steps) {
            if (mark)
                for (const auto& check : step.checks) sc.checks[check.id].in_run = true;
            reached[step.endpoint_id] = true;
            if (step.ws && step.ws->what == ws_step::action::receive_until) reached[step.ws->first_endpoint_id] = true;
        }
    };
    for (const auto* cls : classes) {
        visit(cls->on_start);
        visit(cls->on_stop);
        for (const auto& task : cls->tasks) visit(task.steps);
    }
    return reached;
}

// A threshold over a part of the run no step of which is left has nothing to judge: it is left
// out, and named.
void leave_out_thresholds(scenario& sc, const std::vector<bool>& reached) {
    std::erase_if(sc.thresholds, [&](const threshold_spec& t) {
        if (t.scope == threshold_scope::run || t.endpoint_ids.empty()) return false;
        const bool left = std::any_of(t.endpoint_ids.begin(), t.endpoint_ids.end(), [&](std::uint32_t id) { return reached[id]; });
        if (!left) sc.thresholds_left_out.push_back(t.text + " (" + std::string(scope_key(t.scope)) + " " + t.endpoint + ")");
        return !left;
    });
}

std::string unknown_profile(const scenario& sc, const std::string& name) {
    std::vector<std::string_view> names;
    for (const auto& [n, _] : sc.profiles) names.push_back(n);
    std::string message = "--profile: no profile named '" + name + "' in " + sc.source_path;
    if (auto hint = nearest(name, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
    else if (!names.empty()) {
        message += " (profiles:";
        for (auto n : names) message += " " + std::string(n);
        message += ")";
    }
    return message;
}

}  // namespace

void leave_out_unpicked_classes(scenario& sc, const std::vector<std::string>& picked) {
    if (picked.empty()) return;
    std::vector<const user_class_spec*> running;  // the picked closed classes, and every open one
    for (const auto& c : sc.user_classes)
        if (c.arrivals || std::find(picked.begin(), picked.end(), c.name) != picked.end()) running.push_back(&c);
    for (auto& c : sc.checks) c.in_run = false;
    leave_out_thresholds(sc, reached_endpoints(sc, running, true));
}

double arrival_spec::peak_rate() const {
    double peak = rate;
    for (const auto& s : stages) peak = std::max(peak, s.rate);
    return peak;
}

micros arrival_spec::stages_length() const {
    micros total{0};
    for (const auto& s : stages) total += s.duration;
    return total;
}

double stage_spawn_rate(const stage_spec& stage, int previous_users, double previous_rate) {
    if (stage.spawn_rate) return *stage.spawn_rate;
    const double seconds = std::chrono::duration<double>(stage.duration).count();
    const int change = std::abs(stage.users - previous_users);
    if (change == 0 || seconds <= 0) return previous_rate;
    return change / seconds;
}

namespace {

// --host, then each --host-url NAME=URL, over the scenario's base URLs.
common::result<void> apply_host_overrides(scenario& sc, const load_overrides& overrides) {
    if (overrides.host) {
        auto host = parse_host_url(*overrides.host);
        if (!host) return common::fail("--host: " + host.error());
        sc.default_host().url = std::move(*host);
    }
    for (const auto& pair : overrides.host_urls) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0)
            return common::fail("--host-url '" + common::shortened_utf8(pair, 120) + "': give NAME=URL");
        const auto name = pair.substr(0, eq);
        auto found = std::find_if(sc.hosts.begin(), sc.hosts.end(), [&](const host_spec& h) { return h.name == name; });
        if (found == sc.hosts.end()) {
            std::vector<std::string_view> names;
            for (const auto& h : sc.hosts) names.push_back(h.name);
            std::string message = "--host-url: " + sc.source_path + " has no host named '" + common::shortened_utf8(name, 80) + "'";
            if (auto hint = common::nearest(name, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
            return common::fail(message);
        }
        auto url = parse_host_url(pair.substr(eq + 1));
        if (!url) return common::fail("--host-url " + name + ": " + url.error());
        found->url = std::move(*url);
    }
    return {};
}

// Every host a step that runs goes to has a base URL; only the default one can lack it.
common::result<void> check_hosts_set(const scenario& sc) {
    if (sc.default_host().url) return {};
    for (const auto& c : sc.user_classes) {
        auto uses_default = [](const step_spec& s) { return s.host == 0; };
        bool used = std::any_of(c.on_start.begin(), c.on_start.end(), uses_default) ||
                    std::any_of(c.on_stop.begin(), c.on_stop.end(), uses_default);
        for (const auto& t : c.tasks) used = used || std::any_of(t.steps.begin(), t.steps.end(), uses_default);
        if (used)
            return common::fail("no host: set 'host' in " + sc.source_path + " or pass --host (user class '" + c.name +
                                "' sends to the default host)");
    }
    return {};
}

}  // namespace

common::result<run_load> profile_load(const scenario& sc, const std::string& profile) {
    const auto it = sc.profiles.find(profile);
    if (it == sc.profiles.end()) return common::fail(unknown_profile(sc, profile));
    run_load load;
    apply(load, sc.load);
    apply(load, it->second);
    if (auto settled = settle_shape(load); !settled) return settled.why();
    return load;
}

common::result<run_load> apply_load_plan(scenario& sc, const load_overrides& overrides) {
    run_load load;
    apply(load, sc.load);
    if (overrides.profile) {
        auto it = sc.profiles.find(*overrides.profile);
        if (it == sc.profiles.end()) return common::fail(unknown_profile(sc, *overrides.profile));
        apply(load, it->second);
        if (it->second.thresholds) sc.thresholds = *it->second.thresholds;  // the profile's targets
        for (const auto& [name, arrivals] : it->second.arrival_rates)       // and its rates
            for (auto& c : sc.user_classes)
                if (c.name == name && c.arrivals) c.arrivals = arrivals;
    }
    apply(load, {overrides.users, overrides.spawn_rate, overrides.run_time, std::nullopt, std::nullopt, std::nullopt});
    if (auto settled = settle_shape(load); !settled) return settled.why();
    if (auto hosts = apply_host_overrides(sc, overrides); !hosts) return hosts.why();
    filter_tasks(sc, overrides.tags, overrides.exclude_tags);
    if (sc.user_classes.empty()) return common::fail("--tags/--exclude-tags: no task is left to run");
    if (auto hosts = check_hosts_set(sc); !hosts) return hosts.why();
    // Open-model classes with stages of rates run as long as the longest, unless told otherwise.
    if (!load.run_time)
        for (const auto& c : sc.user_classes)
            if (c.arrivals && !c.arrivals->stages.empty())
                load.run_time = std::max(load.run_time.value_or(micros(0)), c.arrivals->stages_length());
    return load;
}

}  // namespace stampede::lang
