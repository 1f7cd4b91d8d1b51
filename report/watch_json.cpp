#include "report/watch_json.hpp"

#include <cmath>
#include <limits>

namespace stampede::report {

using nlohmann::json;

namespace {

json number_or_null(const std::optional<double>& v) { return v && std::isfinite(*v) ? json(*v) : json(nullptr); }

json figures_json(const series_figures& f) {
    if (f.readings == 0) return nullptr;
    return {{"readings", f.readings}, {"first", f.first}, {"last", f.last}, {"min", f.min}, {"max", f.max},
            {"avg", f.avg}, {"slope_per_s", number_or_null(f.slope)}, {"growth", number_or_null(f.growth)}};
}

// A key's text, or "" when it has none or another type (a file read back is anyone's).
std::string text_of(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A reading as the record keeps it: past a float's range, infinite rather than undefined.
float stored(double v) {
    if (std::isnan(v) || std::abs(v) <= std::numeric_limits<float>::max()) return static_cast<float>(v);
    return v > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
}

common::result<watched_series> read_series(const json& j, std::size_t index) {
    const auto where = "watch: series " + std::to_string(index + 1);
    if (!j.is_object() || !j.contains("name") || !j["name"].is_string())
        return common::fail(where + ": not an object with a \"name\"");
    watched_series s{j["name"].get<std::string>(), text_of(j, "unit"), text_of(j, "source"), {}};
    const auto& values = j.contains("values") ? j["values"] : json();
    if (!values.is_array()) return common::fail(where + " (" + s.name + "): no \"values\" array");
    s.values.reserve(values.size());
    for (const auto& v : values) {
        if (v.is_null()) s.values.push_back(std::numeric_limits<float>::quiet_NaN());
        else if (v.is_number()) s.values.push_back(stored(v.get<double>()));
        else return common::fail(where + " (" + s.name + "): a value that is neither a number nor null");
    }
    return s;
}

}  // namespace

json watch_json(const watch_record& record) {
    if (record.series.empty()) return nullptr;
    json series = json::array();
    for (std::size_t i = 0; i < record.series.size(); ++i) {
        const auto& s = record.series[i];
        json values = json::array();
        for (const float v : s.values) values.push_back(std::isnan(v) ? json(nullptr) : json(v));
        series.push_back({{"name", s.name}, {"unit", s.unit}, {"source", s.source},
                          {"figures", figures_json(record.figures(i))}, {"values", std::move(values)}});
    }
    return {{"interval_s", record.interval_s}, {"first_at_s", record.first_at_s}, {"thinned_by", record.stride},
            {"series", std::move(series)}};
}

common::result<watch_record> read_watch(const json& watch) {
    watch_record record;
    if (watch.is_null()) return record;
    if (!watch.is_object() || !watch.contains("series") || !watch["series"].is_array())
        return common::fail("watch: not an object with a \"series\" array");
    const auto number = [&](const char* key, double fallback) {
        return watch.contains(key) && watch[key].is_number() ? watch[key].get<double>() : fallback;
    };
    record.interval_s = number("interval_s", 1);
    record.first_at_s = number("first_at_s", 0);
    if (!(record.interval_s > 0)) return common::fail("watch: \"interval_s\" is not above 0");
    for (std::size_t i = 0; i < watch["series"].size(); ++i) {
        auto s = read_series(watch["series"][i], i);
        if (!s) return s.why();
        if (!record.series.empty() && s->values.size() != record.moments())
            return common::fail("watch: series '" + s->name + "' has " + std::to_string(s->values.size()) +
                                " values where the others have " + std::to_string(record.moments()));
        record.series.push_back(std::move(*s));
    }
    return record;
}

}  // namespace stampede::report
