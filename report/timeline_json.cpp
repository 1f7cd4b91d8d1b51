#include "report/timeline_json.hpp"

#include <cmath>

namespace stampede::report {

using nlohmann::json;

namespace {

// Milliseconds to the microsecond: the histograms' own resolution, and short in the file.
json ms(double v) { return std::round(v * 1000.0) / 1000.0; }

template <typename F>
json column(const run_result& result, F&& value) {
    json out = json::array();
    for (const auto& row : result.history) out.push_back(value(row));
    return out;
}

json endpoint_columns(const run_result& result, const result_view& view) {
    json out = json::array();
    for (const auto& e : view.endpoints) {
        const auto id = e.id;
        auto at = [id](const history_row& row) { return id < row.endpoints.size() ? row.endpoints[id] : endpoint_point{}; };
        json entry = {{"method", e.row.method}, {"name", e.row.name},
                       {"requests", column(result, [&](const auto& r) { return json(at(r).requests); })},
                       {"failures", column(result, [&](const auto& r) { return json(at(r).failures); })},
                       {"p50", column(result, [&](const auto& r) { return ms(at(r).p50_ms); })},
                       {"p95", column(result, [&](const auto& r) { return ms(at(r).p95_ms); })},
                       {"p99", column(result, [&](const auto& r) { return ms(at(r).p99_ms); })},
                       {"max", column(result, [&](const auto& r) { return ms(at(r).max_ms); })}};
        if (!e.row.host.empty()) entry["host"] = e.row.host;
        out.push_back(std::move(entry));
    }
    return out;
}

json class_columns(const run_result& result, const result_view& view) {
    json out = json::array();
    for (const auto& c : view.open_classes) {
        const auto id = static_cast<std::size_t>(c.counts - result.totals.classes.data());
        auto at = [id](const history_row& row) { return id < row.classes.size() ? row.classes[id] : class_point{}; };
        out.push_back({{"name", *c.name},
                       {"iterations", column(result, [&](const auto& r) { return json(at(r).iterations); })},
                       {"dropped", column(result, [&](const auto& r) { return json(at(r).dropped); })}});
    }
    return out;
}

json worker_columns(const run_result& result) {
    json out = json::array();
    const std::size_t rows = result.history.size();
    for (const auto& w : result.workers_over_time) {
        json requests = json::array(), cpu = json::array();
        for (std::size_t row = 0; row < rows; ++row) {
            const bool there = row >= w.first_row && row - w.first_row < w.requests.size();
            const std::size_t i = row - w.first_row;
            requests.push_back(there ? json(w.requests[i]) : json(nullptr));
            cpu.push_back(there && !std::isnan(w.cpu_percent[i]) ? json(std::round(w.cpu_percent[i] * 10) / 10) : json(nullptr));
        }
        out.push_back({{"id", w.id}, {"name", w.name}, {"requests", std::move(requests)}, {"cpu_percent", std::move(cpu)}});
    }
    return out;
}

}  // namespace

json timeline_json(const run_result& result, const result_view& view) {
    return {
        {"time", column(result, [](const auto& r) { return json(std::round(r.elapsed_s * 1000) / 1000); })},
        {"users", column(result, [](const auto& r) { return json(r.users); })},
        {"requests", column(result, [&](const history_row& r) {
             std::uint64_t n = 0;
             for (const auto& p : r.endpoints) n += p.requests;
             return json(n);
         })},
        {"failures", column(result, [&](const history_row& r) {
             std::uint64_t n = 0;
             for (const auto& p : r.endpoints) n += p.failures;
             return json(n);
         })},
        {"p50", column(result, [](const auto& r) { return ms(r.current_p50_ms); })},
        {"p95", column(result, [](const auto& r) { return ms(r.current_p95_ms); })},
        {"p99", column(result, [](const auto& r) { return ms(r.current_p99_ms); })},
        {"endpoints", endpoint_columns(result, view)},
        {"classes", class_columns(result, view)},
        {"workers", worker_columns(result)},
    };
}


namespace {

common::status check_columns(const json& owner, const std::vector<const char*>& keys, std::size_t rows,
                             const std::string& where) {
    for (const char* key : keys) {
        const auto it = owner.find(key);
        if (it == owner.end() || !it->is_array() || it->size() != rows)
            return common::fail(where + ": \"" + key + "\" is not a column of " + std::to_string(rows) + " entries");
        for (const auto& v : *it)
            if (!v.is_number() && !v.is_null()) return common::fail(where + ": \"" + key + "\" holds something not a number");
    }
    return {};
}

}  // namespace

// Read back as timeline_json writes it: each column one number (or null) per row.
common::status check_timeline(const json& t) {
    if (!t.is_object() || !t.contains("time") || !t["time"].is_array()) return common::fail("timeline: no \"time\" column");
    const std::size_t rows = t["time"].size();
    if (auto ok = check_columns(t, {"time", "users", "requests", "failures", "p50", "p95", "p99"}, rows, "timeline"); !ok)
        return ok;
    const std::vector<std::pair<const char*, std::vector<const char*>>> groups = {
        {"endpoints", {"requests", "failures", "p50", "p95", "p99", "max"}},
        {"classes", {"iterations", "dropped"}},
        {"workers", {"requests", "cpu_percent"}}};
    for (const auto& [group, keys] : groups) {
        const auto it = t.find(group);
        if (it == t.end() || !it->is_array()) return common::fail(std::string("timeline: no \"") + group + "\" list");
        for (const auto& entry : *it)
            if (auto ok = check_columns(entry, keys, rows, std::string("timeline ") + group); !ok) return ok;
    }
    return {};
}

}  // namespace stampede::report
