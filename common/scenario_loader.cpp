#include "common/scenario_loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/text_file.hpp"
#include "common/text_similarity.hpp"

namespace stampede::common {

namespace {

using keys = std::vector<std::string_view>;

const keys scenario_keys = {"host", "headers", "timeout", "load", "profiles", "user_classes"};
const keys load_keys = {"users", "spawn_rate", "run_time"};
const keys class_keys = {"name", "weight", "fixed_count", "wait_time", "headers", "tasks"};
const keys wait_keys = {"constant", "between"};
const keys task_keys = {"name",   "weight",  "tags",          "method", "path", "headers",
                        "json",   "body",    "expect_status", "timeout"};
const keys methods = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

// Walks the YAML tree, building the model and collecting every problem on the way.
class loader {
public:
    explicit loader(std::vector<diagnostic>& problems) : problems_(problems) {}

    scenario load(const YAML::Node& root);

private:
    void problem(const YAML::Node& at, std::string message) {
        const auto mark = at.Mark();
        problems_.push_back({mark.line + 1, mark.column + 1, std::move(message)});
    }
    bool expect_map(const YAML::Node& n, std::string_view what);
    void check_keys(const YAML::Node& map, const keys& allowed, std::string_view context);
    std::optional<std::string> get_string(const YAML::Node& n, std::string_view what);
    std::optional<long long> get_int(const YAML::Node& n, std::string_view what, long long lo,
                                     long long hi);
    std::optional<double> get_number(const YAML::Node& n, std::string_view what, double lo);
    std::optional<micros> get_duration(const YAML::Node& n, std::string_view what);
    header_list get_headers(const YAML::Node& n);
    load_spec get_load(const YAML::Node& n);
    wait_time get_wait(const YAML::Node& n);
    std::vector<int> get_statuses(const YAML::Node& n);
    std::optional<nlohmann::json> to_json(const YAML::Node& n);
    user_class_spec get_class(const YAML::Node& n, std::size_t index);
    task_spec get_task(const YAML::Node& n);

    std::vector<diagnostic>& problems_;
};

bool loader::expect_map(const YAML::Node& n, std::string_view what) {
    if (n.IsMap()) return true;
    problem(n, std::string(what) + " must be a mapping of keys to values");
    return false;
}

void loader::check_keys(const YAML::Node& map, const keys& allowed, std::string_view context) {
    for (auto it = map.begin(); it != map.end(); ++it) {
        const auto key = it->first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string message = "unknown key '" + key + "' in " + std::string(context);
        if (auto hint = nearest(key, allowed); !hint.empty())
            message += " (did you mean '" + hint + "'?)";
        problem(it->first, message);
    }
}

std::optional<std::string> loader::get_string(const YAML::Node& n, std::string_view what) {
    if (n.IsScalar()) return n.Scalar();
    problem(n, std::string(what) + " must be a text value");
    return std::nullopt;
}

std::optional<long long> loader::get_int(const YAML::Node& n, std::string_view what, long long lo,
                                         long long hi) {
    long long v = 0;
    if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v)) {
        problem(n, std::string(what) + " must be a whole number");
        return std::nullopt;
    }
    if (v < lo || v > hi) {
        problem(n, std::string(what) + " must be between " + std::to_string(lo) + " and " +
                       std::to_string(hi) + ", got " + std::to_string(v));
        return std::nullopt;
    }
    return v;
}

std::optional<double> loader::get_number(const YAML::Node& n, std::string_view what, double lo) {
    double v = 0;
    if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !(v >= lo)) {
        std::ostringstream lo_text;
        lo_text << lo;
        problem(n, std::string(what) + " must be a number of at least " + lo_text.str());
        return std::nullopt;
    }
    return v;
}

std::optional<micros> loader::get_duration(const YAML::Node& n, std::string_view what) {
    if (!n.IsScalar()) {
        problem(n, std::string(what) + " must be a duration such as 30s, 5m or 1h30m");
        return std::nullopt;
    }
    std::string error;
    auto d = parse_duration(n.Scalar(), &error);
    if (!d) problem(n, std::string(what) + ": " + error);
    return d;
}

header_list loader::get_headers(const YAML::Node& n) {
    header_list out;
    if (!expect_map(n, "headers")) return out;
    for (auto it = n.begin(); it != n.end(); ++it) {
        auto value = get_string(it->second, "header '" + it->first.Scalar() + "'");
        if (value) out.emplace_back(it->first.Scalar(), *value);
    }
    return out;
}

load_spec loader::get_load(const YAML::Node& n) {
    load_spec load;
    if (!expect_map(n, "load")) return load;
    check_keys(n, load_keys, "load");
    if (const auto& v = n["users"]) {
        if (auto users = get_int(v, "users", 0, 10'000'000)) load.users = static_cast<int>(*users);
    }
    if (const auto& v = n["spawn_rate"]) load.spawn_rate = get_number(v, "spawn_rate", 0.001);
    if (const auto& v = n["run_time"]) load.run_time = get_duration(v, "run_time");
    return load;
}

wait_time loader::get_wait(const YAML::Node& n) {
    wait_time wait;
    if (n.IsScalar() && n.Scalar() == "none") return wait;
    if (!n.IsMap() || n.size() != 1) {
        problem(n, "wait_time must be one of: none, {constant: 1s}, {between: [1s, 3s]}");
        return wait;
    }
    check_keys(n, wait_keys, "wait_time");
    if (const auto& c = n["constant"]) {
        if (auto d = get_duration(c, "wait_time.constant")) {
            wait = {wait_time::kind::constant, *d, *d};
        }
    } else if (const auto& b = n["between"]) {
        if (!b.IsSequence() || b.size() != 2) {
            problem(b, "wait_time.between must be a list of two durations, such as [1s, 3s]");
            return wait;
        }
        auto low = get_duration(b[0], "wait_time.between");
        auto high = get_duration(b[1], "wait_time.between");
        if (low && high && *low > *high) problem(b, "wait_time.between: the first bound exceeds the second");
        else if (low && high) wait = {wait_time::kind::between, *low, *high};
    }
    return wait;
}

std::vector<int> loader::get_statuses(const YAML::Node& n) {
    std::vector<int> out;
    auto add = [&](const YAML::Node& item) {
        if (auto v = get_int(item, "expect_status", 100, 599)) out.push_back(static_cast<int>(*v));
    };
    if (n.IsSequence()) {
        for (const auto& item : n) add(item);
        if (n.size() == 0) problem(n, "expect_status must list at least one status");
    } else {
        add(n);
    }
    return out;
}

std::optional<nlohmann::json> loader::to_json(const YAML::Node& n) {
    using nlohmann::json;
    if (n.IsNull()) return json(nullptr);
    if (n.IsScalar()) {
        const auto& s = n.Scalar();
        if (n.Tag() != "?") return json(s);  // quoted: always text
        if (s == "true" || s == "True" || s == "TRUE") return json(true);
        if (s == "false" || s == "False" || s == "FALSE") return json(false);
        if (s == "null" || s == "~" || s == "Null" || s == "NULL") return json(nullptr);
        long long i;
        if (YAML::convert<long long>::decode(n, i) && s.find_first_of(".eE") == std::string::npos)
            return json(i);
        double d;
        if (YAML::convert<double>::decode(n, d) && s.find_first_of("0123456789") != std::string::npos)
            return json(d);
        return json(s);
    }
    if (n.IsSequence()) {
        json arr = json::array();
        for (const auto& item : n) {
            auto v = to_json(item);
            if (!v) return std::nullopt;
            arr.push_back(std::move(*v));
        }
        return arr;
    }
    if (n.IsMap()) {
        json obj = json::object();
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto v = to_json(it->second);
            if (!v) return std::nullopt;
            obj[it->first.Scalar()] = std::move(*v);
        }
        return obj;
    }
    problem(n, "json body holds a value that cannot be written as JSON");
    return std::nullopt;
}

task_spec loader::get_task(const YAML::Node& n) {
    task_spec task;
    task.line = n.Mark().line + 1;
    if (!expect_map(n, "a task")) return task;
    check_keys(n, task_keys, "task");
    auto& req = task.request;
    if (const auto& v = n["method"]) {
        if (auto m = get_string(v, "method")) {
            std::string upper = *m;
            std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
            if (std::find(methods.begin(), methods.end(), upper) == methods.end())
                problem(v, "unknown method '" + *m + "' (use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)");
            req.method = upper;
        }
    }
    if (const auto& v = n["path"]) {
        if (auto p = get_string(v, "path")) {
            if (p->empty() || p->front() != '/') problem(v, "path must start with '/'");
            req.path = *p;
        }
    } else {
        problem(n, "task has no 'path'");
    }
    if (const auto& v = n["name"]) task.name = get_string(v, "name").value_or("");
    if (task.name.empty()) task.name = req.path;
    if (const auto& v = n["weight"]) task.weight = static_cast<int>(get_int(v, "weight", 1, 1'000'000).value_or(1));
    if (const auto& v = n["tags"]) {
        if (!v.IsSequence()) problem(v, "tags must be a list, such as [read, state]");
        else for (const auto& t : v) if (auto s = get_string(t, "tag")) task.tags.insert(*s);
    }
    if (const auto& v = n["headers"]) req.headers = get_headers(v);
    const auto& json_node = n["json"];
    const auto& body_node = n["body"];
    if (json_node && body_node) problem(body_node, "a task has either 'json' or 'body', not both");
    if (json_node) {
        if (auto j = to_json(json_node)) req.body = j->dump(), req.content_type = "application/json";
    } else if (body_node) {
        req.body = get_string(body_node, "body").value_or("");
    }
    if (const auto& v = n["expect_status"]) req.expect_status = get_statuses(v);
    if (const auto& v = n["timeout"]) req.timeout = get_duration(v, "timeout");
    return task;
}

user_class_spec loader::get_class(const YAML::Node& n, std::size_t index) {
    user_class_spec cls;
    cls.line = n.Mark().line + 1;
    cls.name = "User" + std::to_string(index + 1);
    if (!expect_map(n, "a user class")) return cls;
    check_keys(n, class_keys, "user class");
    if (const auto& v = n["name"]) cls.name = get_string(v, "name").value_or(cls.name);
    if (n["weight"] && n["fixed_count"]) problem(n["fixed_count"], "a user class has either 'weight' or 'fixed_count', not both");
    if (const auto& v = n["weight"]) cls.weight = static_cast<int>(get_int(v, "weight", 1, 1'000'000).value_or(1));
    if (const auto& v = n["fixed_count"]) {
        if (auto c = get_int(v, "fixed_count", 0, 10'000'000)) cls.fixed_count = static_cast<int>(*c);
    }
    if (const auto& v = n["wait_time"]) cls.wait = get_wait(v);
    if (const auto& v = n["headers"]) cls.headers = get_headers(v);
    const auto& tasks = n["tasks"];
    if (!tasks) problem(n, "user class '" + cls.name + "' has no 'tasks'");
    else if (!tasks.IsSequence() || tasks.size() == 0) problem(tasks, "tasks must be a non-empty list");
    else for (const auto& t : tasks) cls.tasks.push_back(get_task(t));
    return cls;
}

scenario loader::load(const YAML::Node& root) {
    scenario sc;
    if (!expect_map(root, "a scenario")) return sc;
    check_keys(root, scenario_keys, "scenario");
    if (const auto& v = root["host"]) {
        if (auto url = get_string(v, "host")) {
            std::string error;
            sc.host = parse_host_url(*url, &error);
            if (!sc.host) problem(v, error);
        }
    }
    if (const auto& v = root["headers"]) sc.headers = get_headers(v);
    if (const auto& v = root["timeout"]) sc.default_timeout = get_duration(v, "timeout").value_or(sc.default_timeout);
    if (const auto& v = root["load"]) sc.load = get_load(v);
    if (const auto& v = root["profiles"]) {
        if (expect_map(v, "profiles")) {
            for (auto it = v.begin(); it != v.end(); ++it) sc.profiles[it->first.Scalar()] = get_load(it->second);
        }
    }
    const auto& classes = root["user_classes"];
    if (!classes) problem(root, "scenario has no 'user_classes'");
    else if (!classes.IsSequence() || classes.size() == 0) problem(classes, "user_classes must be a non-empty list");
    else for (const auto& c : classes) sc.user_classes.push_back(get_class(c, sc.user_classes.size()));
    return sc;
}

// Endpoints are (method, name) pairs; tasks sharing both share one row of statistics.
void assign_endpoints(scenario& sc) {
    std::map<std::pair<std::string, std::string>, std::uint32_t> ids;
    for (auto& cls : sc.user_classes) {
        for (auto& task : cls.tasks) {
            auto key = std::make_pair(task.request.method, task.name);
            auto [it, inserted] = ids.emplace(key, static_cast<std::uint32_t>(sc.endpoints.size()));
            if (inserted) sc.endpoints.push_back({key.first, key.second});
            task.endpoint_id = it->second;
        }
    }
}

}  // namespace

std::string scenario_load_result::format() const {
    std::string out;
    for (const auto& p : problems) {
        out += path + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " +
               p.message + "\n";
    }
    return out;
}

scenario_load_result load_scenario_text(const std::string& text, const std::string& display_path) {
    scenario_load_result result;
    result.path = display_path;
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        result.problems.push_back({e.mark.line + 1, e.mark.column + 1, e.msg});
        return result;
    }
    loader l(result.problems);
    scenario sc = l.load(root);
    std::stable_sort(result.problems.begin(), result.problems.end(), [](const auto& a, const auto& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    if (!result.problems.empty()) return result;
    sc.source_path = display_path;
    assign_endpoints(sc);
    result.value = std::move(sc);
    return result;
}

scenario_load_result load_scenario_file(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) {
        scenario_load_result result;
        result.path = path;
        result.problems.push_back({0, 0, "cannot open the scenario file"});
        return result;
    }
    return load_scenario_text(*text, path);
}

std::optional<target_host> parse_host_url(const std::string& url, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<target_host> {
        if (error) *error = "host '" + url + "': " + why;
        return std::nullopt;
    };
    target_host h;
    std::string_view rest(url);
    const auto scheme_end = rest.find("://");
    if (scheme_end == std::string_view::npos) return fail("must start with http:// (for example http://127.0.0.1:8080)");
    h.scheme = std::string(rest.substr(0, scheme_end));
    if (h.scheme == "https") return fail("https is not supported yet; use http://");
    if (h.scheme != "http") return fail("unsupported scheme '" + h.scheme + "'; use http://");
    rest.remove_prefix(scheme_end + 3);
    const auto path_start = rest.find('/');
    std::string_view authority = rest.substr(0, path_start);
    if (path_start != std::string_view::npos) h.base_path = std::string(rest.substr(path_start));
    while (!h.base_path.empty() && h.base_path.back() == '/') h.base_path.pop_back();
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
        h.port = std::string(authority.substr(colon + 1));
        authority = authority.substr(0, colon);
        const bool digits = !h.port.empty() && std::all_of(h.port.begin(), h.port.end(), ::isdigit);
        if (!digits || h.port.size() > 5 || std::stoi(h.port) == 0 || std::stoi(h.port) > 65535)
            return fail("invalid port '" + h.port + "'");
    }
    if (authority.empty()) return fail("has no host name");
    h.host = std::string(authority);
    return h;
}

}  // namespace stampede::common
