#include "scenario/loader/scenario_loader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <yaml-cpp/depthguard.h>

#include "scenario/loader/host_loader.hpp"
#include "scenario/loader/watch_loader.hpp"
#include "scenario/loader/load_loader.hpp"
#include "scenario/loader/step_loader.hpp"
#include "common/text_file.hpp"
#include "common/utf8.hpp"

namespace stampede::lang {

using namespace common;

namespace {

using detail::keys;

const keys scenario_keys = {"host", "hosts",    "tls",  "headers",      "timeout",   "max_body",
                            "load", "profiles", "data", "user_classes", "thresholds", "watch"};
const keys class_keys = {"name",    "weight", "fixed_count", "wait_time", "arrival_rate",
                         "headers", "vars",   "on_start",    "on_stop",   "tasks", "host"};
const keys data_keys = {"file", "order", "scope"};

// Walks the YAML tree, building the model and collecting every problem on the way.
class loader : public detail::step_reader {
public:
    loader(std::vector<diagnostic>& problems, scenario& sc, const load_options& options, std::size_t text_bytes)
        : step_reader(problems, sc,
                      [this](const YAML::Node& at, const std::string& name, std::string_view what) {
                          return read_bundled(at, name, what);
                      }),
          loads_(problems), options_(options), bundle_bytes_(text_bytes) {}

    void load(const YAML::Node& root);

private:
    void get_data(const YAML::Node& n);
    std::optional<std::string> read_bundled(const YAML::Node& at, const std::string& name, std::string_view what);
    user_class_spec get_class(const YAML::Node& n, std::size_t index);
    template_scope scope_for(const std::vector<std::string>* variables);
    std::optional<std::string> environment(const std::string& name);
    common::result<data_column_ref> data_column(std::string_view set, std::string_view column);
    std::uint32_t slot(const std::string& name);

    detail::load_reader loads_;
    const load_options& options_;
    std::size_t bundle_bytes_;  // the scenario's text and its data files so far
};

void loader::get_data(const YAML::Node& n) {
    if (!expect_map(n, "data")) return;
    for (auto it = n.begin(); it != n.end(); ++it) {
        data_set set;
        set.name = it->first.Scalar();
        const YAML::Node spec = it->second;  // a handle: the iterator's pair is a temporary
        // reset(), not '=': assigning a yaml-cpp node overwrites the node it refers to.
        YAML::Node file_node;
        file_node.reset(spec);
        if (spec.IsMap()) {
            check_keys(spec, data_keys, "data set");
            file_node.reset(spec["file"]);
            if (!file_node) {
                problem(spec, "data set '" + set.name + "' has no 'file'");
                continue;
            }
            if (const auto& o = spec["order"]) {
                const auto text = get_string(o, "order").value_or("");
                if (text == "random") set.pick = data_set::order::random;
                else if (text != "sequential") problem(o, "order must be sequential or random");
            }
            if (const auto& s = spec["scope"]) {
                const auto text = get_string(s, "scope").value_or("");
                if (text == "per_user") set.sharing = data_set::scope::per_user;
                else if (text != "shared") problem(s, "scope must be shared or per_user");
            }
        }
        auto file = get_string(file_node, "data file");
        if (!file) continue;
        set.file = *file;
        auto content = read_bundled(file_node, *file, "data file");
        if (!content) continue;
        auto table = parse_csv(*content);
        if (!table) {
            problem(file_node, "data file '" + *file + "', " + table.error());
            continue;
        }
        set.columns = std::move(table->columns);
        set.rows = std::move(table->rows);
        sc_.data.push_back(std::move(set));
    }
}

// A file the scenario names (a data file, a certificate), read relative to it and kept to
// travel with it to every worker, within what one control message carries.
std::optional<std::string> loader::read_bundled(const YAML::Node& at, const std::string& name, std::string_view what) {
    if (auto known = sc_.files.find(name); known != sc_.files.end()) return known->second;
    auto content = options_.read_file ? options_.read_file(name)
                                      : common::result<std::string>(common::fail("no files can be read here"));
    if (!content) {
        problem(at, "cannot read " + std::string(what) + " '" + name + "': " + content.error());
        return std::nullopt;
    }
    bundle_bytes_ += content->size();
    if (bundle_bytes_ > max_scenario_bundle_bytes) {
        problem(at, std::string(what) + " '" + name + "' takes the scenario and its files past " +
                        format_bytes(max_scenario_bundle_bytes) + ", the most sent to workers");
        return std::nullopt;
    }
    sc_.files[name] = *content;
    return std::move(*content);
}

std::optional<std::string> loader::environment(const std::string& name) {
    auto value = options_.environment ? options_.environment(name) : std::nullopt;
    if (value) sc_.environment[name] = *value;
    return value;
}

common::result<data_column_ref> loader::data_column(std::string_view set, std::string_view column) {
    std::string declared;
    for (std::size_t i = 0; i < sc_.data.size(); ++i) {
        const auto& d = sc_.data[i];
        declared += (declared.empty() ? "" : ", ") + d.name;
        if (d.name != set) continue;
        const auto c = std::find(d.columns.begin(), d.columns.end(), column);
        if (c != d.columns.end())
            return data_column_ref{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(c - d.columns.begin())};
        return common::fail("data set '" + d.name + "' has no column '" + std::string(column) + "' (" +
                            nameable_columns(d.columns) + ")");
    }
    return common::fail("no data set '" + std::string(set) + "'" +
                        (declared.empty() ? " (declare it under 'data')" : " (declared: " + declared + ")"));
}

std::uint32_t loader::slot(const std::string& name) {
    auto it = std::find(sc_.variables.begin(), sc_.variables.end(), name);
    if (it != sc_.variables.end()) return static_cast<std::uint32_t>(it - sc_.variables.begin());
    sc_.variables.push_back(name);
    return static_cast<std::uint32_t>(sc_.variables.size() - 1);
}

// What templates may refer to: functions, data columns, the environment and, inside a user
// class, the variables that class sets.
template_scope loader::scope_for(const std::vector<std::string>* variables) {
    template_scope scope;
    scope.variable = [this, variables](std::string_view name) -> std::optional<std::uint32_t> {
        if (!variables || std::find(variables->begin(), variables->end(), name) == variables->end()) return std::nullopt;
        return slot(std::string(name));
    };
    scope.variable_names = [variables] { return variables ? *variables : std::vector<std::string>{}; };
    scope.data_column = [this](std::string_view set, std::string_view column) { return data_column(set, column); };
    scope.environment = [this](const std::string& name) { return environment(name); };
    return scope;
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
    if (const auto& v = n["wait_time"]) cls.wait = get_wait(v, "wait_time", true);
    if (const auto& v = n["arrival_rate"]) {
        cls.arrivals = loads_.read_arrivals(v);
        if (n["wait_time"]) problem(n["wait_time"], "an arrival_rate class starts its iterations at the rate: no wait_time");
        if (n["fixed_count"]) problem(n["fixed_count"], "an arrival_rate class sizes its own users: no fixed_count");
        if (n["weight"]) problem(n["weight"], "an arrival_rate class takes no share of the load's users: no weight");
    }

    std::vector<std::string> variables;
    const auto& vars = n["vars"];
    if (vars && expect_map(vars, "vars"))
        for (auto it = vars.begin(); it != vars.end(); ++it) variables.push_back(it->first.Scalar());
    detail::collect_extracted_names(n, variables);
    const auto scope = scope_for(&variables);
    if (vars && vars.IsMap()) {
        for (auto it = vars.begin(); it != vars.end(); ++it) {
            if (auto value = get_template(it->second, "vars." + it->first.Scalar(), scope))
                cls.vars.push_back({slot(it->first.Scalar()), std::move(*value)});
        }
    }
    if (const auto& v = n["headers"]) cls.headers = get_headers(v, scope);
    const host_scope in_host(*this, n["host"]);
    if (const auto& v = n["on_start"]) cls.on_start = read_steps(v, "on_start", scope);
    if (const auto& v = n["on_stop"]) cls.on_stop = read_steps(v, "on_stop", scope);
    const auto& tasks = n["tasks"];
    if (!tasks) problem(n, "user class '" + cls.name + "' has no 'tasks'");
    else if (!tasks.IsSequence() || tasks.size() == 0) problem(tasks, "tasks must be a non-empty list");
    else
        for (const auto& t : tasks) cls.tasks.push_back(read_task(t, scope));
    return cls;
}

void loader::load(const YAML::Node& root) {
    if (!expect_map(root, "a scenario")) return;
    check_keys(root, scenario_keys, "scenario");
    if (const auto& v = root["data"]) get_data(v);
    detail::host_reader hosts(problems(), [this](const YAML::Node& at, const std::string& name, std::string_view what) {
        return read_bundled(at, name, what);
    });
    hosts.read(root, scope_for(nullptr), sc_.hosts);
    if (const auto& v = root["headers"]) sc_.headers = get_headers(v, scope_for(nullptr));
    if (const auto& v = root["timeout"]) sc_.default_timeout = get_duration(v, "timeout").value_or(sc_.default_timeout);
    if (const auto& v = root["max_body"]) sc_.default_max_body = get_body_limit(v, "max_body").value_or(sc_.default_max_body);
    if (const auto& v = root["load"]) sc_.load = loads_.read_load(v);
    if (const auto& v = root["profiles"]) {
        if (expect_map(v, "profiles")) {
            for (auto it = v.begin(); it != v.end(); ++it) {
                sc_.profiles[it->first.Scalar()] = loads_.read_load(it->second, true);
            }
        }
    }
    if (const auto& v = root["thresholds"]) sc_.thresholds = loads_.read_thresholds(v);
    if (const auto& v = root["watch"]) detail::watch_reader(problems()).read(v, sc_.hosts, sc_.watch);
    const auto& classes = root["user_classes"];
    if (!classes) problem(root, "scenario has no 'user_classes'");
    else if (!classes.IsSequence() || classes.size() == 0) problem(classes, "user_classes must be a non-empty list");
    else
        for (const auto& c : classes) sc_.user_classes.push_back(get_class(c, sc_.user_classes.size()));
}

// Endpoints are (method, name, host); steps sharing all three share one row of statistics.
void assign_endpoints(scenario& sc) {
    std::map<std::tuple<std::string, std::string, std::uint32_t>, std::uint32_t> ids;
    auto id_of = [&](const std::string& method, const std::string& name, std::uint32_t host) {
        auto [it, inserted] = ids.emplace(std::make_tuple(method, name, host), static_cast<std::uint32_t>(sc.endpoints.size()));
        if (inserted) sc.endpoints.push_back({method, name, host});
        return it->second;
    };
    auto assign = [&](step_spec& step) {
        step.endpoint_id = id_of(step.request.method, step.name, step.host);
        // A streamed reply's time to its first message is a row of its own, beside the last's.
        if (step.ws && step.ws->what == ws_step::action::receive_until)
            step.ws->first_endpoint_id = id_of(step.request.method, step.name + " (first message)", step.host);
        for (const auto& c : step.checks) sc.checks[c.id].endpoint_id = step.endpoint_id;
    };
    for (auto& cls : sc.user_classes) {
        for (auto& step : cls.on_start) assign(step);
        for (auto& task : cls.tasks)
            for (auto& step : task.steps) assign(step);
        for (auto& step : cls.on_stop) assign(step);
    }
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

// Scenarios are UTF-8: their names and messages end up in results and on the control channel.
// A file in another encoding is refused where its first offending byte is, with the reason.
std::optional<diagnostic> encoding_problem(std::string_view text) {
    const auto starts = [&](std::string_view bom) { return text.substr(0, bom.size()) == bom; };
    if (starts("\xFF\xFE") || starts("\xFE\xFF"))
        return diagnostic{1, 1, "the file is UTF-16 (it starts with a byte-order mark); save it as UTF-8"};
    if (starts(std::string_view("\x00\x00\xFE\xFF", 4)))
        return diagnostic{1, 1, "the file is UTF-32 (it starts with a byte-order mark); save it as UTF-8"};
    const auto at = first_invalid_utf8(text);
    if (at == utf8_all) return std::nullopt;
    const auto before = text.substr(0, at);
    const auto line_start = before.rfind('\n');
    const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    // Columns count characters, as an editor shows them.
    const auto line_text = before.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
    const int column = 1 + static_cast<int>(std::count_if(line_text.begin(), line_text.end(), [](char c) {
                           return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
                       }));
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
    return diagnostic{line, column, std::string("the file is not valid UTF-8 (byte ") + byte +
                                        "); save it as UTF-8"};
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

scenario_load_result load_scenario_text(const std::string& text, const std::string& display_path,
                                        const load_options& options) {
    scenario_load_result result;
    result.path = display_path;
    // A Locust config file carried over names its locustfile: say what to do rather than how
    // the Python fails to parse as YAML.
    const auto& p = display_path;
    if (p.size() > 3 && p.compare(p.size() - 3, 3, ".py") == 0) {
        result.problems.push_back({1, 1, "this is a Python locustfile: Stampede runs YAML scenarios (see docs/scenario.md)"});
        return result;
    }
    if (auto problem = encoding_problem(text)) {
        result.problems.push_back(std::move(*problem));
        return result;
    }
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& e) {
        result.problems.push_back({e.mark.line + 1, e.mark.column + 1,
                                   "nested deeper than " + std::to_string(e.depth() - 1) + " levels, the most a scenario may"});
        return result;
    } catch (const YAML::ParserException& e) {
        result.problems.push_back({e.mark.line + 1, e.mark.column + 1, e.msg});
        return result;
    }
    scenario sc;
    loader l(result.problems, sc, options, text.size());
    try {
        l.load(root);
    } catch (const YAML::Exception& e) {  // a shape the loader did not foresee: still a clear error
        result.problems.push_back({e.mark.line + 1, e.mark.column + 1, e.msg});
    }
    sc.source_path = display_path;
    assign_endpoints(sc);  // thresholds name endpoints: resolved here, reported with the rest
    detail::resolve_condition_endpoints(sc, sc.thresholds, result.problems);
    detail::resolve_load_names(sc, sc.load, result.problems);
    for (auto& [name, profile] : sc.profiles) detail::resolve_load_names(sc, profile, result.problems);
    std::stable_sort(result.problems.begin(), result.problems.end(), [](const auto& a, const auto& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    if (!result.problems.empty()) return result;
    result.value = std::move(sc);
    return result;
}

load_options file_system_sources(const std::string& path) {
    load_options options;
    options.read_file = [dir = directory_of(path)](const std::string& name) {
        return read_text_file(!name.empty() && name.front() == '/' ? name : dir + name, max_scenario_bundle_bytes);
    };
    options.environment = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
    };
    return options;
}

scenario_load_result load_scenario_file(const std::string& path) {
    auto text = read_text_file(path, max_scenario_bundle_bytes);
    if (!text) {
        scenario_load_result result;
        result.path = path;
        result.problems.push_back({0, 0, "cannot read the scenario file: " + text.error()});
        return result;
    }
    return load_scenario_text(*text, path, file_system_sources(path));
}

}  // namespace stampede::lang
