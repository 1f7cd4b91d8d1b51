#include "cli/setting_sources.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "common/text_similarity.hpp"

namespace stampede::cli {

namespace {

using common::fail;

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// "Spawn_Rate" and "spawn-rate" are one key.
std::string normal_key(std::string key) {
    key = lower(std::move(key));
    std::replace(key.begin(), key.end(), '_', '-');
    return key;
}

std::string unquoted(std::string value) {
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
        return value.substr(1, value.size() - 2);
    return value;
}

std::optional<bool> parse_switch(const std::string& text) {
    const auto v = lower(text);
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    return std::nullopt;
}

// `[a, b]` is a list (Locust's `tags = [Critical, Normal]`); otherwise a value of a repeatable
// flag may hold several separated by white space ("api=http://a web=http://b").
std::vector<std::string> list_values(const std::string& value) {
    std::vector<std::string> out;
    if (value.size() >= 2 && value.front() == '[' && value.back() == ']') {
        std::string_view inner(value);
        inner = inner.substr(1, inner.size() - 2);
        while (!inner.empty()) {
            const auto comma = inner.find(',');
            auto item = unquoted(trim(inner.substr(0, comma)));
            if (!item.empty()) out.push_back(std::move(item));
            if (comma == std::string_view::npos) break;
            inner.remove_prefix(comma + 1);
        }
        return out;
    }
    std::size_t at = 0;
    while (at < value.size()) {
        const auto start = value.find_first_not_of(" \t", at);
        if (start == std::string::npos) break;
        const auto end = value.find_first_of(" \t", start);
        out.push_back(value.substr(start, end == std::string::npos ? std::string::npos : end - start));
        at = end == std::string::npos ? value.size() : end;
    }
    return out;
}

// Locust's keys that have no counterpart here: read, said once, and left alone, so a Locust
// config file carries over.
const std::set<std::string>& locust_only_keys() {
    static const std::set<std::string> keys = {
        "loglevel", "logfile", "processes", "reset-stats", "csv-full-history", "print-stats", "only-summary",
        "skip-log-setup", "html-title", "modern-ui", "legacy-ui", "class-picker", "web-login", "web-base-path",
        "show-task-ratio", "show-task-ratio-json", "list", "hatch-rate", "step-load", "step-users", "step-time",
        "enable-rebalancing", "exit-code-on-error-percent", "equal-weights", "iterations", "config-users",
        "heartbeat-liveness", "user-classes", "locustfile-path", "allow-insecure", "profile-name",
        "legacy-json", "json-file", "tls-cert", "tls-key"};
    return keys;
}

// Locust names some flags otherwise: its worker's master-host and master-port make our
// --master; its master's master-bind-host and master-bind-port our --bind.
struct address_parts {
    std::string host, port;
    int line = 0;
    bool any() const { return !host.empty() || !port.empty(); }
};

class gatherer {
public:
    explicit gatherer(const setting_inputs& in) : in_(in) {
        for (const auto& f : in.flags) own_[f.name] = &f;
    }

    common::result<gathered_settings> run() {
        for (const auto& f : in_.flags) {
            if (in_.given.count(f.name)) continue;
            if (auto taken = from_environment(f); !taken) return taken.why();
        }
        for (const auto& entry : in_.config)
            if (auto taken = from_config(entry); !taken) return taken.why();
        if (auto joined = join_locust_address(); !joined) return joined.why();
        return std::move(out_);
    }

private:
    common::status from_environment(const flag_spec& f) {
        const auto name = environment_name(f.name);
        const char* raw = in_.environment ? in_.environment(name) : nullptr;
        if (!raw || !*raw) return {};  // unset or empty: compose files pass optional variables on empty
        const std::string value = raw;
        if (value.size() > max_config_bytes) return fail(fmt::format("{}: longer than {} bytes", name, max_config_bytes));
        from_env_.insert(f.name);
        return add(f, value, name);
    }

    common::status from_config(const config_entry& entry) {
        const auto where = fmt::format("{}:{}", in_.config_path, entry.line);
        auto key = normal_key(entry.key);
        if (key == "locustfile") key = "scenario";
        if ((key == "master" || key == "worker") && parse_switch(entry.value)) {
            if (*parse_switch(entry.value) && key != in_.command)
                out_.warnings.push_back(fmt::format("{}: '{} = {}' is Locust's mode; here the command decides "
                                                    "(this is `stampede {}`)", where, entry.key, entry.value, in_.command));
            return {};
        }
        if (key == "json" && parse_switch(entry.value)) {
            out_.warnings.push_back(fmt::format("{}: Locust's 'json' prints the stats; Stampede's --json takes a file "
                                                "name: left alone", where));
            return {};
        }
        if (key == "master-host" || key == "master-port") return locust_address(master_, key == "master-host", entry);
        if (key == "master-bind-host" || key == "master-bind-port")
            return locust_address(bind_, key == "master-bind-host", entry);
        const auto own = own_.find(key);
        if (own == own_.end()) return not_ours(key, entry, where);
        const auto& f = *own->second;
        if (in_.given.count(f.name) || from_env_.count(f.name)) return {};  // a flag or the environment wins
        if (!f.many) {
            if (const auto first = config_lines_.find(f.name); first != config_lines_.end())
                return fail(fmt::format("{}: '{}' is set twice (first on line {})", where, entry.key, first->second));
        }
        config_lines_.emplace(f.name, entry.line);
        return add(f, entry.value, where);
    }

    common::status not_ours(const std::string& key, const config_entry& entry, const std::string& where) {
        const auto& others = in_.other_flags;
        if (std::find(others.begin(), others.end(), key) != others.end()) return {};  // another command's
        if (locust_only_keys().count(key)) {
            out_.warnings.push_back(fmt::format("{}: Locust's '{}' has no counterpart in Stampede: left alone", where,
                                                entry.key));
            return {};
        }
        std::vector<std::string_view> known;
        for (const auto& f : in_.flags) known.push_back(f.name);
        for (const auto& o : others) known.push_back(o);
        const auto near = common::nearest(key, known);
        return fail(fmt::format("{}: unknown setting '{}'{}", where, entry.key,
                                near.empty() ? std::string(" (the keys are the long flag names, as in users = 10)")
                                             : fmt::format(" (did you mean '{}'?)", near)));
    }

    common::status add(const flag_spec& f, const std::string& value, const std::string& source) {
        setting s{f.name, {}, source};
        if (!f.takes_value) {
            const auto on = parse_switch(value);
            if (!on) return fail(fmt::format("{}: --{} is a switch: true or false, got '{}'", source, f.name, value.substr(0, 100)));
            if (*on) out_.settings.push_back(std::move(s));
            return {};
        }
        s.values = f.many ? list_values(value) : std::vector<std::string>{unquoted(value)};
        if (s.values.empty() || (s.values.size() == 1 && s.values.front().empty()))
            return fail(fmt::format("{}: --{} needs a value", source, f.name));
        out_.settings.push_back(std::move(s));
        return {};
    }

    common::status locust_address(address_parts& parts, bool host, const config_entry& entry) {
        (host ? parts.host : parts.port) = unquoted(entry.value);
        if (!parts.line) parts.line = entry.line;
        return {};
    }

    // master-host and master-port (a worker's) or master-bind-host and master-bind-port (a
    // master's) as one HOST:PORT, with Locust's defaults for the half not given.
    common::status join_locust_address() {
        const auto join = [&](const address_parts& parts, const char* flag, const char* default_host) -> common::status {
            if (!parts.any() || !own_.count(flag) || in_.given.count(flag) || from_env_.count(flag)) return {};
            if (config_lines_.count(flag)) return {};  // the file's own --master or --bind wins
            auto host = parts.host.empty() || parts.host == "*" ? std::string(default_host) : parts.host;
            if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
            const auto port = parts.port.empty() ? std::string("5557") : parts.port;
            return add(*own_.at(flag), host + ":" + port, fmt::format("{}:{}", in_.config_path, parts.line));
        };
        if (auto m = join(master_, "master", "127.0.0.1"); !m) return m;
        return join(bind_, "bind", "0.0.0.0");
    }

    const setting_inputs& in_;
    std::map<std::string, const flag_spec*> own_;
    std::set<std::string> from_env_;
    std::map<std::string, int> config_lines_;  // flag -> first line that set it
    address_parts master_, bind_;
    gathered_settings out_;
};

}  // namespace

std::string environment_name(std::string_view long_name) {
    std::string out = "STAMPEDE_";
    for (char c : long_name) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

namespace {

// A line less its trailing comment, as Locust's parser (ConfigArgParse) reads one: a '#' or ';'
// after white space starts it ("users = 50  # peak"); one inside a word does not (a URL's
// fragment, "a;b").
std::string_view without_comment(std::string_view line) {
    for (std::size_t i = 1; i < line.size(); ++i)
        if ((line[i] == '#' || line[i] == ';') && std::isspace(static_cast<unsigned char>(line[i - 1])))
            return line.substr(0, i);
    return line;
}

}  // namespace

common::result<std::vector<config_entry>> parse_config(std::string_view text, const std::string& path) {
    std::vector<config_entry> entries;
    int number = 0;
    while (!text.empty()) {
        const auto end = text.find('\n');
        const auto raw = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        ++number;
        const auto line = trim(without_comment(raw));
        if (line.empty() || line.front() == '#' || line.front() == ';') continue;
        if (line.front() == '[' && line.back() == ']') continue;  // a section header, as configargparse reads it
        // The first '=' or ':' ends the key: "host = http://x" and "host: http://x" alike.
        const auto sep = line.find_first_of("=:");
        config_entry entry;
        entry.line = number;
        if (sep == std::string::npos) {
            entry.key = line;  // a bare key turns a switch on
            entry.value = "true";
        } else {
            entry.key = trim(std::string_view(line).substr(0, sep));
            entry.value = unquoted(trim(std::string_view(line).substr(sep + 1)));
        }
        const bool word = !entry.key.empty() && std::isalnum(static_cast<unsigned char>(entry.key.front())) &&
                          std::all_of(entry.key.begin(), entry.key.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
        if (!word)
            return fail(fmt::format("{}:{}: expected 'key = value' with a flag's long name, got '{}'", path, number,
                                    line.substr(0, 100)));
        entries.push_back(std::move(entry));
    }
    return entries;
}

common::result<gathered_settings> gather_settings(const setting_inputs& in) { return gatherer(in).run(); }

std::vector<std::string> as_arguments(const setting& s) {
    std::vector<std::string> out;
    if (s.values.empty()) out.push_back("--" + s.flag);
    for (const auto& v : s.values) out.push_back("--" + s.flag + "=" + v);
    return out;
}

}  // namespace stampede::cli
