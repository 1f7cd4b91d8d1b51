#include "scenario/threshold_loader.hpp"

#include "common/text_similarity.hpp"

namespace stampede::lang::detail {

namespace {

const keys threshold_keys = {"expect", "endpoint", "window", "grace", "abort_on_fail", "no_data"};
const keys stop_keys = {"when", "endpoint", "window", "grace"};

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
    const auto& at = item.IsMap() && item["endpoint"] ? item["endpoint"] : text_node;
    parsed->line = at.Mark().line + 1;
    parsed->column = at.Mark().column + 1;
    return std::move(*parsed);
}

// The map form's scope and how it is judged while the run goes.
bool threshold_reader::read_judging(const YAML::Node& item, threshold_spec& t) {
    bool ok = true;
    if (const auto& e = item["endpoint"]) {
        auto name = get_string(e, "endpoint");
        ok = name.has_value();
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

void resolve_condition_endpoints(const scenario& sc, std::vector<threshold_spec>& conditions,
                                 std::vector<diagnostic>& problems) {
    for (auto& t : conditions) {
        if (t.endpoint.empty()) continue;
        std::vector<std::string_view> names;
        for (std::uint32_t id = 0; id < sc.endpoints.size(); ++id) {
            const auto& e = sc.endpoints[id];
            names.push_back(e.name);
            if (e.name == t.endpoint || e.method + " " + e.name == t.endpoint) t.endpoint_ids.push_back(id);
        }
        if (!t.endpoint_ids.empty()) continue;
        std::string message = "no endpoint named '" + t.endpoint + "'";
        if (auto hint = common::nearest(t.endpoint, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
        problems.push_back({t.line, t.column, message});
    }
}

}  // namespace stampede::lang::detail
