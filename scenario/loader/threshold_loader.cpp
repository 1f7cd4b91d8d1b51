#include "scenario/loader/threshold_loader.hpp"

#include <algorithm>

#include "common/text_similarity.hpp"

namespace stampede::lang::detail {

namespace {

const keys threshold_keys = {"expect", "endpoint", "class", "tag", "window", "grace", "abort_on_fail", "no_data"};
const keys stop_keys = {"when", "endpoint", "class", "tag", "window", "grace"};
constexpr threshold_scope scopes[] = {threshold_scope::endpoint, threshold_scope::user_class, threshold_scope::tag};

// Every endpoint `steps` name, once.
void add_endpoints(const std::vector<step_spec>& steps, std::vector<std::uint32_t>& ids) {
    for (const auto& step : steps)
        if (std::find(ids.begin(), ids.end(), step.endpoint_id) == ids.end()) ids.push_back(step.endpoint_id);
}

// The endpoints a class's steps or a tag's tasks name, and the names there are to choose from.
std::vector<std::uint32_t> scope_endpoints(const scenario& sc, const threshold_spec& t,
                                           std::vector<std::string_view>& names) {
    std::vector<std::uint32_t> ids;
    for (const auto& cls : sc.user_classes) {
        if (t.scope == threshold_scope::user_class) {
            names.push_back(cls.name);
            if (cls.name != t.endpoint) continue;
            add_endpoints(cls.on_start, ids);
            add_endpoints(cls.on_stop, ids);
        }
        for (const auto& task : cls.tasks) {
            if (t.scope == threshold_scope::tag) {
                for (const auto& tag : task.tags) names.push_back(tag);
                if (!task.tags.count(t.endpoint)) continue;
            }
            add_endpoints(task.steps, ids);
        }
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

}  // namespace

std::vector<threshold_spec> threshold_reader::read_thresholds(const YAML::Node& n) { return read_conditions(n, false); }

std::vector<threshold_spec> threshold_reader::read_stop_conditions(const YAML::Node& n) {
    return read_conditions(n, true);
}

std::vector<threshold_spec> threshold_reader::read_conditions(const YAML::Node& n, bool stop) {
    std::vector<threshold_spec> out;
    if (!n.IsSequence()) {
        problem(n, stop ? "stop_when must be a list, such as ['avg > 2s', 'error_rate > 5%']"
                        : "thresholds must be a list, such as ['p95 < 300ms', 'success_rate > 95%']");
        return out;
    }
    for (const auto& item : n)
        if (auto t = read_condition(item, stop)) out.push_back(std::move(*t));
    return out;
}

std::optional<threshold_spec> threshold_reader::read_condition(const YAML::Node& item, bool stop) {
    const char* text_key = stop ? "when" : "expect";
    YAML::Node text_node;
    text_node.reset(item);
    if (item.IsMap()) {
        check_keys(item, stop ? stop_keys : threshold_keys, stop ? "stop condition" : "threshold");
        // A missing key is an invalid node, which reset() refuses: asked first.
        if (!item[text_key]) {
            problem(item, stop ? "a stop condition needs 'when', such as 'avg > 2s'"
                               : "a threshold needs 'expect', such as 'p95 < 300ms'");
            return std::nullopt;
        }
        text_node.reset(item[text_key]);
    }
    auto text = get_string(text_node, stop ? "stop condition" : "threshold");
    if (!text) return std::nullopt;
    auto parsed = parse_threshold(*text);
    if (!parsed) {
        problem(text_node, parsed.error());
        return std::nullopt;
    }
    if (stop && parsed->baseline_factor) {
        problem(text_node, "a stop condition compares with a value, not a baseline");
        return std::nullopt;
    }
    if (stop) parsed->window = default_stop_window;
    if (item.IsMap() && !read_judging(item, *parsed)) return std::nullopt;
    YAML::Node at;
    at.reset(text_node);
    if (parsed->scope != threshold_scope::run) at.reset(item[std::string(scope_key(parsed->scope))]);
    parsed->line = at.Mark().line + 1;
    parsed->column = at.Mark().column + 1;
    return std::move(*parsed);
}

// The map form's scope and how it is judged while the run goes.
bool threshold_reader::read_judging(const YAML::Node& item, threshold_spec& t) {
    bool ok = true;
    for (auto scope : scopes) {
        const auto key = std::string(scope_key(scope));
        const auto& e = item[key];
        if (!e) continue;
        if (t.scope != threshold_scope::run) {
            problem(e, "a condition reads one endpoint, class or tag, not two");
            return false;
        }
        auto name = get_string(e, key);
        ok = ok && name.has_value();
        t.scope = scope;
        t.endpoint = name.value_or("");
    }
    if (const auto& v = item["window"]) {
        auto window = get_duration(v, "window");
        if (window && (*window < min_window || *window > max_window)) {
            problem(v, "a window is from 1s to 1h");
            window.reset();
        }
        ok = ok && window.has_value();
        t.window = window;
    }
    if (const auto& v = item["grace"]) {
        auto grace = get_duration(v, "grace");
        ok = ok && grace.has_value();
        t.grace = grace.value_or(micros(0));
    }
    if (const auto& v = item["abort_on_fail"]) {
        auto abort = get_bool(v, "abort_on_fail");
        ok = ok && abort.has_value();
        t.abort_on_fail = abort.value_or(false);
    }
    if (const auto& v = item["no_data"]) {
        auto value = get_string(v, "no_data");
        if (value && *value != "pass" && *value != "fail") {
            problem(v, "no_data is 'pass' or 'fail' (the default)");
            value.reset();
        }
        ok = ok && value.has_value();
        t.no_data_passes = value && *value == "pass";
    }
    return ok;
}

namespace {

// A condition on a watched series names one the watch section reads, and reads the service,
// not an endpoint; it takes that series' unit.
void resolve_watched(const std::vector<watch::series_info>& watched, threshold_spec& t, std::vector<diagnostic>& problems) {
    if (t.scope != threshold_scope::run) {
        problems.push_back({t.line, t.column, "'" + t.text + "' reads the service's watched series: it has no " +
                                                  std::string(scope_key(t.scope))});
        return;
    }
    std::vector<std::string_view> names;
    for (const auto& s : watched) {
        names.push_back(s.name);
        if (s.name != t.watched->series) continue;
        t.watched->unit = s.unit;
        return;
    }
    std::string message = watched.empty() ? "'" + t.text + "' reads a watched series, and the scenario has no 'watch' section"
                                           : "no watched series named '" + t.watched->series + "'";
    if (auto hint = common::nearest(t.watched->series, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
    problems.push_back({t.line, t.column, message});
}

}  // namespace

void resolve_condition_endpoints(const scenario& sc, std::vector<threshold_spec>& conditions,
                                 std::vector<diagnostic>& problems) {
    const auto watched = watched_series_of(sc.watch);
    for (auto& t : conditions) {
        if (t.watched) {
            resolve_watched(watched, t, problems);
            continue;
        }
        if (t.scope == threshold_scope::run) continue;
        std::vector<std::string_view> names;
        if (t.scope == threshold_scope::endpoint) {
            for (std::uint32_t id = 0; id < sc.endpoints.size(); ++id) {
                const auto& e = sc.endpoints[id];
                names.push_back(e.name);
                if (e.name == t.endpoint || e.method + " " + e.name == t.endpoint) t.endpoint_ids.push_back(id);
            }
        } else {
            t.endpoint_ids = scope_endpoints(sc, t, names);
        }
        for (auto id : t.endpoint_ids) t.endpoint_keys.push_back(sc.endpoints[id].method + " " + sc.endpoints[id].name);
        if (!t.endpoint_ids.empty()) continue;
        const char* what = t.scope == threshold_scope::endpoint ? "no endpoint named '"
                           : t.scope == threshold_scope::user_class ? "no user class named '"
                                                                     : "no task tagged '";
        std::string message = what + t.endpoint + "'";
        if (auto hint = common::nearest(t.endpoint, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
        problems.push_back({t.line, t.column, message});
    }
}

}  // namespace stampede::lang::detail
