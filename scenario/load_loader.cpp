#include "scenario/load_loader.hpp"

namespace stampede::lang::detail {

namespace {

const keys load_keys = {"users", "spawn_rate", "run_time", "stages", "staircase", "stop_when"};
const keys profile_keys = {"users", "spawn_rate", "run_time", "stages", "staircase", "stop_when", "thresholds"};
const keys stage_keys = {"duration", "users", "spawn_rate"};
const keys staircase_keys = {"start", "add", "every", "ramp", "max"};
constexpr long long max_users = 10'000'000;

}  // namespace

load_spec load_reader::read_load(const YAML::Node& n, bool profile) {
    load_spec load;
    if (!expect_map(n, profile ? "a profile" : "load")) return load;
    check_keys(n, profile ? profile_keys : load_keys, profile ? "profile" : "load");
    if (n["stages"] && n["staircase"]) problem(n["staircase"], "a load has 'stages' or a 'staircase', not both");
    const bool shaped = n["stages"] || n["staircase"];
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
    if (const auto& v = n["stop_when"]) load.stop_when = read_stop_conditions(v);
    if (const auto& v = n["thresholds"]; v && profile) load.thresholds = read_thresholds(v);
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
