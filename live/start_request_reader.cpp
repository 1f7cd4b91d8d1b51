#include "live/start_request_reader.hpp"

#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace stampede::live {

using nlohmann::json;

namespace {

constexpr std::size_t max_names = 1000;        // tags or classes in one request
constexpr std::size_t max_name_bytes = 200;    // one of them

// The body's fields as text (a form's are), and its lists ("tags": ["a", "b"], or "a,b").
struct raw_fields {
    std::map<std::string, std::string> text;
    std::map<std::string, std::vector<std::string>> lists;
};

common::result<std::vector<std::string>> split_names(const std::string& key, const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const auto to = std::min(text.find_first_of(", ", from), text.size());
        if (to > from) out.push_back(text.substr(from, to - from));
        from = to + 1;
    }
    if (out.size() > max_names) return common::fail(fmt::format("'{}' names more than {}", key, max_names));
    return out;
}

common::status read_json(const std::string& body, raw_fields& out) {
    const auto doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return common::fail("the body is not a JSON object");
    for (const auto& [key, value] : doc.items()) {
        if (value.is_array()) {
            if (value.size() > max_names) return common::fail(fmt::format("'{}' names more than {}", key, max_names));
            auto& list = out.lists[key];
            for (const auto& v : value) {
                if (!v.is_string()) return common::fail("'" + key.substr(0, 40) + "' is a list of names");
                list.push_back(v.get<std::string>());
            }
        } else if (value.is_null()) {
            out.text[key] = "";
        } else if (value.is_number() || value.is_string()) {
            out.text[key] = value.is_number() ? value.dump() : value.get<std::string>();
        } else {
            return common::fail("'" + key.substr(0, 40) + "' is a number, a text or a list of names");
        }
    }
    return {};
}

common::result<raw_fields> raw_fields_of(const http_request& r) {
    raw_fields out;
    out.text = r.query;
    if (r.content_type.starts_with("application/json")) {
        if (auto read = read_json(r.body, out); !read) return read.why();
    } else if (!r.body.empty()) {
        out.text.merge(parse_query(r.body));  // a form body reads as a query does
    }
    if (!out.text.count("users") && out.text.count("user_count")) out.text["users"] = out.text["user_count"];
    // A form gives a list as text: "a,b" or "a b".
    for (const auto* key : {"tags", "exclude_tags", "user_classes"}) {
        const auto it = out.text.find(key);
        if (it == out.text.end() || out.lists.count(key)) continue;
        auto names = split_names(key, it->second);
        if (!names) return names.why();
        out.lists[key] = std::move(*names);
    }
    for (const auto& [key, names] : out.lists)
        for (const auto& n : names)
            if (n.empty() || n.size() > max_name_bytes)
                return common::fail(fmt::format("'{}': a name is 1 to {} bytes", key, max_name_bytes));
    return out;
}

common::result<std::optional<double>> number(const raw_fields& f, const char* key, double low, double high) {
    const auto it = f.text.find(key);
    if (it == f.text.end() || it->second.empty()) return std::optional<double>{};
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (*end != '\0' || !(v >= low && v <= high))
        return common::fail(fmt::format("'{}' must be a number from {} to {}", key, low, high));
    return std::optional<double>(v);
}

}  // namespace

common::result<start_request> read_start_request(const http_request& r) {
    auto fields = raw_fields_of(r);
    if (!fields) return fields.why();
    start_request s;
    auto users = number(*fields, "users", 0, 10'000'000);
    if (!users) return users.why();
    if (*users) {
        if (**users != static_cast<double>(static_cast<long long>(**users))) return common::fail("'users' must be a whole number");
        s.users = static_cast<int>(**users);
    }
    auto rate = number(*fields, "spawn_rate", 0.001, 1'000'000);
    if (!rate) return rate.why();
    s.spawn_rate = *rate;
    if (const auto it = fields->text.find("run_time"); it != fields->text.end() && !it->second.empty()) {
        auto d = common::parse_duration(it->second);
        if (!d || d->count() <= 0)
            return common::fail("'run_time' is a duration such as 90s, 10m or 1h30m: got '" + it->second.substr(0, 40) + "'");
        s.run_time = *d;
    }
    if (const auto it = fields->text.find("profile"); it != fields->text.end()) {
        if (it->second.size() > max_name_bytes) return common::fail(fmt::format("'profile' is at most {} bytes", max_name_bytes));
        s.profile = it->second;
    }
    if (const auto it = fields->lists.find("tags"); it != fields->lists.end()) s.tags = it->second;
    if (const auto it = fields->lists.find("exclude_tags"); it != fields->lists.end()) s.exclude_tags = it->second;
    if (const auto it = fields->lists.find("user_classes"); it != fields->lists.end()) s.classes = it->second;
    return s;
}

}  // namespace stampede::live
