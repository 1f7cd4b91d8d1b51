#include "scenario/loader/load_loader.hpp"

#include <algorithm>
#include <cmath>

#include "common/text_similarity.hpp"

namespace stampede::lang::detail {

namespace {

const keys load_keys = {"users", "spawn_rate", "run_time", "stages", "staircase", "capacity_search", "stop_when"};
const keys profile_keys = {"users",     "spawn_rate",      "run_time",  "stages",    "staircase",
                           "capacity_search", "stop_when", "thresholds", "arrival_rates"};
const keys arrival_keys = {"rate", "stages", "arrivals", "users", "max_users", "max_delay", "timing"};
const keys arrival_stage_keys = {"duration", "rate"};
constexpr double max_arrival_rate = 10'000'000;  // iterations per second across the cluster
const keys search_keys = {"start", "multiply", "add", "max", "step", "settle", "precision", "confirm", "conditions"};
const keys stage_keys = {"duration", "users", "spawn_rate"};
const keys staircase_keys = {"start", "add", "every", "ramp", "max"};
constexpr long long max_users = 10'000'000;

// A stage's per-class counts name user classes; a name that matches none is a problem.
void check_stage_classes(const scenario& sc, const load_spec& load, std::vector<diagnostic>& problems) {
    if (!load.stages) return;
    std::vector<std::string_view> names;
    for (const auto& c : sc.user_classes) names.push_back(c.name);
    for (const auto& stage : *load.stages)
        for (const auto& [name, count] : stage.per_class) {
            if (std::find(names.begin(), names.end(), name) != names.end()) continue;
            std::string message = "no user class named '" + name + "'";
            if (auto hint = common::nearest(name, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
            problems.push_back({stage.line, stage.column, message});
        }
}

// A profile's arrival rates name open-model classes.
void check_arrival_classes(const scenario& sc, const load_spec& load, std::vector<diagnostic>& problems) {
    std::vector<std::string_view> open;
    for (const auto& c : sc.user_classes)
        if (c.arrivals) open.push_back(c.name);
    for (const auto& [name, spec] : load.arrival_rates) {
        if (std::find(open.begin(), open.end(), name) != open.end()) continue;
        const bool closed = std::any_of(sc.user_classes.begin(), sc.user_classes.end(),
                                        [&name = name](const user_class_spec& c) { return c.name == name; });
        std::string message = closed ? "user class '" + name + "' has no arrival_rate to replace"
                                     : "no user class named '" + name + "'";
        if (auto hint = common::nearest(name, open); !closed && !hint.empty()) message += " (did you mean '" + hint + "'?)";
        problems.push_back({load.arrival_rates_line, load.arrival_rates_column, message});
    }
}

}  // namespace

load_spec load_reader::read_load(const YAML::Node& n, bool profile) {
    load_spec load;
    if (!expect_map(n, profile ? "a profile" : "load")) return load;
    check_keys(n, profile ? profile_keys : load_keys, profile ? "profile" : "load");
    const int shapes = (n["stages"] ? 1 : 0) + (n["staircase"] ? 1 : 0) + (n["capacity_search"] ? 1 : 0);
    if (shapes > 1) problem(n, "a load has one shape: 'stages', a 'staircase' or a 'capacity_search'");
    if (n["capacity_search"] && n["stop_when"])
        problem(n["stop_when"], "a capacity search stops by its own conditions: give them as its 'conditions'");
    const bool shaped = shapes > 0;
    if (const auto& v = n["users"]) {
        if (shaped) problem(v, "'users' is for a load without a shape: each stage gives its own");
        else if (auto users = get_int(v, "users", 0, max_users)) load.users = static_cast<int>(*users);
    }
    std::optional<double> spawn_rate;
    if (const auto& v = n["spawn_rate"]) spawn_rate = get_number(v, "spawn_rate", 0.001);
    if (n["spawn_rate"] && n["stages"])
        problem(n["spawn_rate"], "give a spawn_rate per stage (without one, a stage ramps in a straight line)");
    if (!shaped) load.spawn_rate = spawn_rate;
    if (const auto& v = n["run_time"]) load.run_time = get_duration(v, "run_time");
    if (const auto& v = n["stages"]) load.stages = read_stages(v);
    if (const auto& v = n["staircase"]) load.stages = read_staircase(v, spawn_rate);
    if (const auto& v = n["capacity_search"]) load.search = read_capacity_search(v, spawn_rate);
    if (const auto& v = n["stop_when"]) load.stop_when = read_stop_conditions(v);
    if (const auto& v = n["thresholds"]; v && profile) load.thresholds = read_thresholds(v);
    if (const auto& v = n["arrival_rates"]; v && profile && expect_map(v, "arrival_rates")) {
        load.arrival_rates_line = v.Mark().line + 1;
        load.arrival_rates_column = v.Mark().column + 1;
        for (auto it = v.begin(); it != v.end(); ++it)
            if (auto arrivals = read_arrivals(it->second)) load.arrival_rates.emplace_back(it->first.Scalar(), *arrivals);
    }
    return load;
}

std::optional<std::vector<stage_spec>> load_reader::read_stages(const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0) {
        problem(n, "stages must be a non-empty list of {duration, users[, spawn_rate]}");
        return std::nullopt;
    }
    if (n.size() > max_stages) {
        problem(n, "at most " + std::to_string(max_stages) + " stages");
        return std::nullopt;
    }
    std::vector<stage_spec> stages;
    bool ok = true;
    for (const auto& s : n) {
        auto stage = read_stage(s);
        if (stage) stages.push_back(*stage);
        ok = ok && stage.has_value();
    }
    if (!ok) return std::nullopt;
    return stages;
}

std::optional<stage_spec> load_reader::read_stage(const YAML::Node& n) {
    if (!expect_map(n, "a stage")) return std::nullopt;
    check_keys(n, stage_keys, "stage");
    stage_spec stage;
    bool ok = true;
    if (const auto& v = n["duration"]) {
        auto d = get_duration(v, "duration");
        if (d && d->count() <= 0) problem(v, "a stage's duration must be more than 0");
        ok = d && d->count() > 0;
        if (ok) stage.duration = *d;
    } else {
        problem(n, "a stage needs a 'duration'");
        ok = false;
    }
    if (const auto& v = n["users"]; v && v.IsMap()) {
        ok = read_class_counts(v, stage) && ok;
    } else if (v) {
        auto users = get_int(v, "users", 0, max_users);
        if (users) stage.users = static_cast<int>(*users);
        ok = ok && users.has_value();
    } else {
        problem(n, "a stage needs 'users', the count it moves to");
        ok = false;
    }
    if (const auto& v = n["spawn_rate"]) {
        stage.spawn_rate = get_number(v, "spawn_rate", 0.001);
        ok = ok && stage.spawn_rate.has_value();
    }
    if (!ok) return std::nullopt;
    return stage;
}

// `users: {Reader: 10, Writer: 2}`: counts per class; the stage's users are their sum.
bool load_reader::read_class_counts(const YAML::Node& v, stage_spec& stage) {
    stage.line = v.Mark().line + 1;
    stage.column = v.Mark().column + 1;
    bool ok = true;
    long long total = 0;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const auto name = it->first.Scalar();
        auto count = get_int(it->second, "users of " + name, 0, max_users);
        ok = ok && count.has_value();
        if (!count) continue;
        stage.per_class.emplace_back(name, static_cast<int>(*count));
        total += *count;
    }
    if (total > max_users) {
        problem(v, "a stage's users are at most " + std::to_string(max_users));
        return false;
    }
    stage.users = static_cast<int>(total);
    return ok;
}

// start, start + add, ... up to max, each level held `every`; with `ramp`, each level is
// reached in a straight line over that long, else at `spawn_rate` (or within a second).
std::optional<std::vector<stage_spec>> load_reader::read_staircase(const YAML::Node& n,
                                                                    std::optional<double> spawn_rate) {
    if (!expect_map(n, "staircase")) return std::nullopt;
    check_keys(n, staircase_keys, "staircase");
    auto need = [&](const char* key) {
        if (!n[key]) problem(n, std::string("a staircase needs '") + key + "'");
        return n[key];
    };
    std::optional<long long> start, add, top;
    std::optional<micros> every, ramp = micros(0);
    if (const auto& v = need("start")) start = get_int(v, "start", 0, max_users);
    if (const auto& v = need("add")) add = get_int(v, "add", 1, max_users);
    if (const auto& v = need("max")) top = get_int(v, "max", 1, max_users);
    if (const auto& v = need("every")) every = get_duration(v, "every");
    if (const auto& v = n["ramp"]) ramp = get_duration(v, "ramp");
    if (!start || !add || !top || !every || !ramp) return std::nullopt;
    if (every->count() <= 0) return problem(n["every"], "every must be more than 0"), std::nullopt;
    if (*ramp >= *every) return problem(n["ramp"], "ramp must be shorter than every"), std::nullopt;
    if (*top < *start) return problem(n["max"], "max must be at least start"), std::nullopt;
    const auto levels = static_cast<std::size_t>((*top - *start) / *add + 1);
    if (levels * (ramp->count() > 0 ? 2 : 1) > max_stages)
        return problem(n, "the staircase makes more than " + std::to_string(max_stages) + " stages"), std::nullopt;
    std::vector<stage_spec> stages;
    long long previous = 0;
    for (long long users = *start; users <= *top; users += *add) {
        const int level = static_cast<int>(users);
        if (ramp->count() > 0) {
            stages.push_back({*ramp, level, std::nullopt});
            stages.push_back({*every - *ramp, level, std::nullopt});
        } else {
            const double jump = spawn_rate.value_or(static_cast<double>(std::max<long long>(1, users - previous)));
            stages.push_back({*every, level, jump});
        }
        previous = users;
    }
    return stages;
}

}  // namespace stampede::lang::detail

namespace stampede::lang::detail {

// start, then up by `multiply` or `add` to `max`, each load held `step`; the conditions to
// meet are thresholds, judged over each step after its `settle`.
std::optional<capacity_search_spec> load_reader::read_capacity_search(const YAML::Node& n,
                                                                      std::optional<double> spawn_rate) {
    if (!expect_map(n, "capacity_search")) return std::nullopt;
    check_keys(n, search_keys, "capacity_search");
    capacity_search_spec s;
    s.spawn_rate = spawn_rate;
    s.line = n.Mark().line + 1;
    s.column = n.Mark().column + 1;
    bool ok = true;
    auto need = [&](const char* key) {
        if (!n[key]) problem(n, std::string("a capacity search needs '") + key + "'");
        ok = ok && n[key];
        return n[key];
    };
    auto integer = [&](const YAML::Node& v, const char* what, long long lo, int& out) {
        auto value = get_int(v, what, lo, max_users);
        ok = ok && value.has_value();
        if (value) out = static_cast<int>(*value);
    };
    auto duration = [&](const YAML::Node& v, const char* what, micros& out) {
        auto value = get_duration(v, what);
        ok = ok && value.has_value();
        if (value) out = *value;
    };
    if (const auto& v = need("start")) integer(v, "start", 1, s.start);
    if (const auto& v = need("max")) integer(v, "max", 1, s.max);
    if (const auto& v = need("step")) duration(v, "step", s.step);
    if (const auto& v = n["settle"]) duration(v, "settle", s.settle);
    else s.settle = s.step / 5;
    s.confirm = s.step;
    if (const auto& v = n["confirm"]) duration(v, "confirm", s.confirm);
    if (const auto& v = n["precision"]) integer(v, "precision", 1, s.precision);
    if (n["multiply"] && n["add"]) problem(n, "a capacity search steps up by 'multiply' or by 'add', not both");
    else if (const auto& v = n["multiply"]) {
        auto factor = get_number(v, "multiply", 1.01);
        if (factor && *factor > 100) problem(v, "multiply is at most 100");
        ok = ok && factor && *factor <= 100;
        s.multiply = factor.value_or(0);
    } else if (const auto& v = n["add"]) integer(v, "add", 1, s.add);
    else problem(n, "a capacity search needs 'multiply' (such as 2) or 'add' (users per step)"), ok = false;
    if (const auto& v = need("conditions")) {
        s.conditions = read_thresholds(v);
        if (v.IsSequence() && v.size() == 0) problem(v, "a capacity search needs at least one condition"), ok = false;
        ok = ok && s.conditions.size() == v.size();
    }
    if (!ok) return std::nullopt;
    return checked_search(n, s);
}

// What each value means alone is checked; here, what they mean together.
std::optional<capacity_search_spec> load_reader::checked_search(const YAML::Node& n, capacity_search_spec s) {
    if (s.step.count() <= 0) return problem(n["step"], "step must be more than 0"), std::nullopt;
    if (s.settle >= s.step) return problem(n["settle"] ? n["settle"] : n, "settle must be shorter than step"), std::nullopt;
    if (s.max < s.start) return problem(n["max"], "max must be at least start"), std::nullopt;
    if (s.add > 0 && (s.max - s.start) / s.add + 1 > static_cast<long long>(max_stages))
        return problem(n["add"], "the search would climb more than " + std::to_string(max_stages) + " steps"), std::nullopt;
    for (const auto& c : s.conditions)
        if (c.judged_live()) return problem(n["conditions"], "a search's conditions are judged per step: no window or abort_on_fail"), std::nullopt;
    return s;
}

}  // namespace stampede::lang::detail

namespace stampede::lang::detail {

std::optional<arrival_spec> load_reader::read_arrivals(const YAML::Node& n) {
    arrival_spec a;
    if (n.IsScalar()) {  // `arrival_rate: 200`
        auto rate = get_number(n, "arrival_rate", 0.001);
        if (rate && *rate > max_arrival_rate) return problem(n, "arrival_rate is at most 10000000 per second"), std::nullopt;
        if (!rate) return std::nullopt;
        a.rate = *rate;
        a.max_users = std::max(a.users, static_cast<int>(std::ceil(a.rate)));
        return a;
    }
    if (!expect_map(n, "arrival_rate")) return std::nullopt;
    check_keys(n, arrival_keys, "arrival_rate");
    bool ok = true;
    if (!n["rate"] && !n["stages"]) return problem(n, "arrival_rate needs a 'rate' or 'stages'"), std::nullopt;
    if (const auto& v = n["rate"]) {
        auto rate = get_number(v, "rate", n["stages"] ? 0.0 : 0.001);
        if (rate && *rate > max_arrival_rate) problem(v, "a rate is at most 10000000 per second"), rate.reset();
        ok = rate.has_value();
        a.rate = rate.value_or(0);
    }
    if (const auto& v = n["stages"]) {
        auto stages = read_arrival_stages(v);
        ok = ok && stages.has_value();
        if (stages) a.stages = std::move(*stages);
    }
    if (const auto& v = n["arrivals"]) {
        const auto kind = get_string(v, "arrivals").value_or("");
        if (kind != "even" && kind != "poisson") problem(v, "arrivals are 'even' (the default) or 'poisson'"), ok = false;
        a.poisson = kind == "poisson";
    }
    if (const auto& v = n["users"]) {
        auto users = get_int(v, "users", 1, max_users);
        ok = ok && users.has_value();
        a.users = static_cast<int>(users.value_or(1));
    }
    a.max_users = std::max(a.users, static_cast<int>(std::min(std::ceil(a.peak_rate()), static_cast<double>(max_users))));
    if (const auto& v = n["max_users"]) {
        auto most = get_int(v, "max_users", 1, max_users);
        if (most && *most < a.users) problem(v, "max_users must be at least users"), most.reset();
        ok = ok && most.has_value();
        a.max_users = static_cast<int>(most.value_or(a.users));
    }
    if (const auto& v = n["max_delay"]) {
        auto delay = get_duration(v, "max_delay");
        ok = ok && delay.has_value();
        a.max_delay = delay.value_or(micros(0));
    }
    if (const auto& v = n["timing"]) {
        const auto kind = get_string(v, "timing").value_or("");
        if (kind != "sleep" && kind != "spin") problem(v, "timing is 'sleep' (the default) or 'spin'"), ok = false;
        a.spin = kind == "spin";
    }
    if (!ok) return std::nullopt;
    return a;
}

std::optional<std::vector<arrival_stage>> load_reader::read_arrival_stages(const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0 || n.size() > max_stages) {
        problem(n, "stages must be a list of 1 to " + std::to_string(max_stages) + " {duration, rate}");
        return std::nullopt;
    }
    std::vector<arrival_stage> stages;
    bool ok = true;
    for (const auto& s : n) {
        if (!expect_map(s, "an arrival stage")) {
            ok = false;
            continue;
        }
        check_keys(s, arrival_stage_keys, "arrival stage");
        if (!s["duration"] || !s["rate"]) {
            problem(s, "an arrival stage needs a 'duration' and a 'rate'");
            ok = false;
            continue;
        }
        auto duration = get_duration(s["duration"], "duration");
        auto rate = get_number(s["rate"], "rate", 0.0);
        if (duration && duration->count() <= 0) problem(s["duration"], "a stage's duration must be more than 0"), duration.reset();
        if (rate && *rate > max_arrival_rate) problem(s["rate"], "a rate is at most 10000000 per second"), rate.reset();
        if (!duration || !rate) {
            ok = false;
            continue;
        }
        stages.push_back({*duration, *rate});
    }
    if (!ok) return std::nullopt;
    return stages;
}

// What a load names (endpoints in its conditions, classes in its stages), resolved.
void resolve_load_names(const scenario& sc, load_spec& load, std::vector<diagnostic>& problems) {
    if (load.thresholds) resolve_condition_endpoints(sc, *load.thresholds, problems);
    if (load.stop_when) resolve_condition_endpoints(sc, *load.stop_when, problems);
    if (load.search) {
        resolve_condition_endpoints(sc, load.search->conditions, problems);
        for (const auto& c : load.search->conditions)
            if (c.watched)
                problems.push_back({c.line, c.column, "a capacity search judges its steps by their requests: '" + c.text +
                                                          "' reads the service (give it as a threshold or a stage's stop condition)"});
    }
    check_stage_classes(sc, load, problems);
    check_arrival_classes(sc, load, problems);
}

}  // namespace stampede::lang::detail
