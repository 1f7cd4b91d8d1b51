#include "report/json_reporter.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "common/text_file.hpp"
#include "report/result_view.hpp"
#include "report/timeline_json.hpp"
#include "report/watch_json.hpp"
#include "report/histogram_json.hpp"
#include "report/result_document.hpp"

namespace stampede::report {

using nlohmann::json;

namespace {

std::string iso_time(wall_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&secs, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms % 1000));
    return text;
}

// A phase of new connections (the TCP connect, the TLS handshake): one value per connection.
json phase_json(const stats::histogram& h) {
    return {{"count", h.count()}, {"mean", h.mean() / 1000.0}, {"p50", to_ms(h.percentile(50))},
            {"p95", to_ms(h.percentile(95))}, {"p99", to_ms(h.percentile(99))}, {"max", to_ms(h.max())},
            {"histogram", histogram_to_json(h)}};
}

// Connections made by an endpoint's requests, phase by phase, where there were any.
void add_phases(json& row, const stats::endpoint_stats& stats) {
    if (!stats.connect.empty()) row["connect"] = phase_json(stats.connect);
    if (!stats.tls_handshake.empty()) row["tls_handshake"] = phase_json(stats.tls_handshake);
}

// Latencies from the moment each request was sent, beside the corrected ones.
json uncorrected_json(const stats::histogram& h) {
    return {{"mean", h.mean() / 1000.0}, {"p50", to_ms(h.percentile(50))}, {"p95", to_ms(h.percentile(95))},
            {"p99", to_ms(h.percentile(99))}, {"max", to_ms(h.max())}, {"histogram", histogram_to_json(h)}};
}

json endpoints_json(const result_view& view) {
    json out = json::array();
    for (const auto& e : view.endpoints) {
        auto row = row_json(e.row, *e.stats);
        if (!e.stats->uncorrected.empty()) row["uncorrected"] = uncorrected_json(e.stats->uncorrected);
        add_phases(row, *e.stats);
        out.push_back(std::move(row));
    }
    return out;
}

json totals_json(const result_view& view) {
    auto row = row_json(view.aggregated.row, *view.aggregated.stats);
    if (view.uncorrected_total) row["uncorrected"] = uncorrected_json(*view.uncorrected_total);
    add_phases(row, *view.aggregated.stats);
    return row;
}

// Every open-model class's count together.
std::uint64_t total_of(const run_result& result, std::uint64_t stats::class_counts::*field) {
    std::uint64_t n = 0;
    for (const auto& c : result.totals.classes) n += c.*field;
    return n;
}

// Each open-model class: iterations started and dropped, and how late they started.
json open_classes_json(const result_view& view, double seconds) {
    json out = json::array();
    for (const auto& c : view.open_classes) {
        const auto& n = *c.counts;
        const auto& lag = n.start_lag;
        out.push_back({{"name", *c.name}, {"iterations", n.iterations}, {"dropped", n.dropped},
                       {"iterations_per_s", seconds > 0 ? static_cast<double>(n.iterations) / seconds : 0.0},
                       {"start_lag", {{"p50", to_ms(lag.percentile(50))}, {"p99", to_ms(lag.percentile(99))},
                                      {"max", to_ms(lag.max())}, {"histogram", histogram_to_json(lag)}}}});
    }
    return out;
}

// An endpoint's method, name and, where the result names hosts, host: the key of its rows.
json with(json key, std::initializer_list<std::pair<const char*, json>> fields) {
    for (auto& [name, value] : fields) key[name] = std::move(value);
    return key;
}

json errors_json(const result_view& view) {
    json out = json::array();
    for (const auto& e : view.errors)
        out.push_back(with(endpoint_key(*e.endpoint, e.host), {
                       {"kind", std::string(stats::to_string(e.kind))}, {"code", e.code},
                       {"message", e.message}, {"occurrences", e.count}}));
    return out;
}

json skipped_json(const result_view& view) {
    json out = json::array();
    for (const auto& s : view.skipped) out.push_back(with(endpoint_key(*s.endpoint, s.host), {{"count", s.count}}));
    return out;
}

// Every host the scenario names; with named hosts, each that saw requests has its figures,
// every endpoint of it together (exact: merged histograms).
json hosts_json(const run_result& result, const result_view& view) {
    json out = json::array();
    auto figures = view.hosts.begin();  // in the scenario's order too, only those with requests
    for (const auto& h : result.hosts) {
        json host = {{"name", h.name}, {"url", h.url}};
        if (figures != view.hosts.end() && figures->name == h.name) {
            auto row = row_json(figures->row, figures->stats);
            for (const char* key : {"method", "name", "host"}) row.erase(key);
            host.update(row);
            ++figures;
        }
        out.push_back(std::move(host));
    }
    return out;
}

json history_json(const run_result& result) {
    json out = json::array();
    for (const auto& h : result.history) {
        out.push_back({{"time", h.unix_time}, {"users", h.users}, {"rps", h.current_rps},
                       {"fps", h.current_fps}, {"p50", h.current_p50_ms}, {"p95", h.current_p95_ms}, {"p99", h.current_p99_ms},
                       {"requests", h.total.requests}, {"failures", h.total.failures},
                       {"iterations", h.iterations}, {"dropped", h.dropped}});
    }
    return out;
}

json workers_json(const run_result& result) {
    json out = json::array();
    for (const auto& w : result.workers) {
        out.push_back({{"id", w.id}, {"name", w.name}, {"host", w.machine}, {"threads", w.threads}, {"state", w.state},
                       {"requests", w.requests}, {"failures", w.failures},
                       {"max_cpu_percent", w.max_cpu_percent}, {"rss_bytes", w.rss_bytes}, {"users", w.users},
                       {"link", {{"lost", w.link.lost}, {"rejoined", w.link.rejoined},
                                 {"streams_closed", w.link.streams_closed}, {"lost_after", w.link.lost_after_s},
                                 {"longest_silence", std::round(w.link.longest_silence_s * 1000) / 1000},
                                 {"longest_delay", std::round(w.link.longest_delay_s * 1000) / 1000},
                                 {"merged_intervals", w.link.merged_intervals}, {"summary", describe_link(w.link)}}}});
    }
    return out;
}

json data_gaps_json(const run_result& result) {
    json out = json::array();
    for (const auto& g : result.data_gaps)
        out.push_back({{"worker", g.worker}, {"reason", g.reason}, {"from", g.from_s}, {"to", g.to_s},
                       {"known_missing_requests", g.known_missing}, {"estimated_missing_requests", g.estimated_missing},
                       {"fails_run", g.fails_run}});
    return out;
}

// The stages as they ran: when each was entered and left, its target and rate, what its
// requests did, and its outcome under the stop conditions.
// Each watched series' average over a stage, by name (null: no reading then).
json stage_service_json(const run_result& result, const stage_record& s) {
    json out = json::object();
    for (std::size_t i = 0; i < s.service.size() && i < result.watch.series.size(); ++i)
        out[result.watch.series[i].name] = std::isnan(s.service[i]) ? json(nullptr) : json(s.service[i]);
    return out;
}

json stages_json(const run_result& result) {
    json out = json::array();
    for (const auto& s : result.stages)
        out.push_back({{"name", s.name}, {"from", s.from_s}, {"to", s.to_s}, {"users", s.users},
                       {"spawn_rate", s.spawn_rate}, {"requests", s.requests}, {"failures", s.failures},
                       {"rps", s.rps}, {"error_rate", s.error_rate()}, {"avg_ms", s.avg_ms}, {"p50_ms", s.p50_ms},
                       {"p95_ms", s.p95_ms}, {"p99_ms", s.p99_ms},
                       {"outcome", s.outcome.empty() ? json(nullptr) : json(s.outcome)},
                       {"service", stage_service_json(result, s)}});
    return out;
}

json stopped_early_json(const run_result& result) {
    if (!result.stopped_early) return nullptr;
    const auto& s = *result.stopped_early;
    return {{"by", s.stop_condition ? "stop_when" : "threshold"}, {"condition", s.condition},
            {"measured_text", s.measured_text}, {"time", s.at_s}};
}

json breaking_json(const run_result& result) {
    if (!result.breaking) return nullptr;
    const auto& b = *result.breaking;
    auto optional = [](const auto& v) { return v ? json(*v) : json(nullptr); };
    json out = {{"condition", b.condition}, {"measured_text", b.measured_text}, {"time", b.at_s},
                {"users", optional(b.users)}, {"last_good_users", optional(b.last_good_users)},
                {"max_sustainable_rps", optional(b.max_sustainable_rps)}};
    // The service on both sides of the break: at the stage that broke, and at the last that held.
    for (const auto& s : result.stages) {
        if (s.outcome == "broke") out["service"] = stage_service_json(result, s);
        if (b.last_good_users && s.outcome == "held" && s.users == *b.last_good_users && s.from_s < b.at_s)
            out["service_last_good"] = stage_service_json(result, s);
    }
    if (b.searched) {
        out["capacity_search"] = true;
        out["complete"] = b.search_complete;
        out["confirmed"] = optional(b.confirmed);
    }
    return out;
}

// The load as planned: users, rate, run time, and the shape's stages when it has one.
json load_json(const lang::run_load& load) {
    json out = {{"users", load.users}, {"spawn_rate", load.spawn_rate}};
    if (load.run_time) out["run_time_s"] = std::chrono::duration<double>(*load.run_time).count();
    if (load.search) {
        const auto& c = *load.search;
        json conditions = json::array();
        for (const auto& t : c.conditions) conditions.push_back(t.text);
        out["capacity_search"] = {{"start", c.start}, {"max", c.max},
                                  {"multiply", c.multiply > 0 ? json(c.multiply) : json(nullptr)},
                                  {"add", c.add > 0 ? json(c.add) : json(nullptr)},
                                  {"step_s", std::chrono::duration<double>(c.step).count()},
                                  {"settle_s", std::chrono::duration<double>(c.settle).count()},
                                  {"confirm_s", std::chrono::duration<double>(c.confirm).count()},
                                  {"precision", c.precision > 0 ? json(c.precision) : json(nullptr)},
                                  {"conditions", std::move(conditions)}};
    }
    if (!load.stop_when.empty()) {
        json conditions = json::array();
        for (const auto& c : load.stop_when) conditions.push_back(c.text);
        out["stop_when"] = std::move(conditions);
    }
    if (load.stages.empty()) return out;
    json stages = json::array();
    for (const auto& s : load.stages) {
        json stage = {{"duration_s", std::chrono::duration<double>(s.duration).count()}, {"users", s.users}};
        if (s.spawn_rate) stage["spawn_rate"] = *s.spawn_rate;
        stages.push_back(std::move(stage));
    }
    out["stages"] = std::move(stages);
    return out;
}

json verdicts_json(const run_result& result) {
    json out = json::array();
    for (const auto& v : result.verdicts)
        out.push_back({{"threshold", v.target},
                       {"endpoint", v.scope == "endpoint" ? json(v.endpoint) : json(nullptr)},
                       {"scope", v.scope.empty() ? json(nullptr) : json({{"kind", v.scope}, {"name", v.endpoint}})},
                       {"measured", v.measured ? json(*v.measured) : json(nullptr)}, {"measured_text", v.measured_text},
                       {"passed", v.passed}, {"stopped_run", v.stopped_run},
                       {"limit", v.limit ? json(*v.limit) : json(nullptr)},
                       {"chart", v.chart.empty() ? json(nullptr) : json(v.chart)}});
    return out;
}

json events_json(const run_result& result) {
    json out = json::array();
    for (const auto& e : result.events)
        out.push_back({{"time", result.seconds_since_start(e.at)}, {"type", std::string(to_string(e.kind))}, {"detail", e.detail}});
    return out;
}

// Every "histogram" key under `j`, taken out.
void drop_histograms(json& j) {
    if (j.is_object()) {
        j.erase("histogram");
        for (auto& [key, value] : j.items()) drop_histograms(value);
    } else if (j.is_array()) {
        for (auto& v : j) drop_histograms(v);
    }
}

json settings_json(const std::vector<run_setting>& settings) {
    json out = json::array();
    for (const auto& s : settings) out.push_back({{"flag", s.flag}, {"value", s.value}, {"source", s.source}});
    return out;
}

}  // namespace

json result_document(const run_result& result) {
    const auto view = make_result_view(result);
    json doc = {
        {"stampede_version", result.version},
        {"scenario", result.scenario_path},
        {"command_line", result.command_line},
        {"settings", settings_json(result.settings)},
        {"unauthenticated_listeners", result.unauthenticated_listeners},
        {"host", result.target_url},
        {"hosts", hosts_json(result, view)},
        {"profile", result.profile ? json(*result.profile) : json(nullptr)},
        {"load", load_json(result.load)},
        {"threads", result.threads},
        {"user_classes", result.user_classes},
        {"start", iso_time(result.start)},
        {"end", iso_time(result.end)},
        {"duration_s", result.duration_s()},
        {"statistics_reset_at", result.stats_reset_at ? json(result.seconds_since_start(*result.stats_reset_at)) : json(nullptr)},
        {"interrupted", result.interrupted},
        {"cancelled_requests", result.totals.cancelled},
        {"totals", totals_json(view)},
        {"endpoints", endpoints_json(view)},
        {"errors", errors_json(view)},
        {"checks", checks_json(view)},
        {"skipped_steps", skipped_json(view)},
        {"open_classes", open_classes_json(view, result.stats_duration_s())},
        {"iterations", total_of(result, &stats::class_counts::iterations)},
        {"dropped_iterations", total_of(result, &stats::class_counts::dropped)},
        {"history", history_json(result)},
        {"timeline", timeline_json(result, view)},
        {"events", events_json(result)},
        {"watch", watch_json(result.watch)},
        {"stages", stages_json(result)},
        {"stopped_early", stopped_early_json(result)},
        {"breaking_point", breaking_json(result)},
        {"thresholds", verdicts_json(result)},
        {"thresholds_passed", all_passed(result.verdicts)},
        {"thresholds_left_out", result.thresholds_left_out},
        {"workers", workers_json(result)},
        {"refused_snapshots", result.refused_snapshots},
        {"complete", !result.incomplete()},
        {"data_gaps", data_gaps_json(result)},
    };
    return doc;
}

json figures_document(const run_result& result) {
    const auto view = make_result_view(result);
    json doc = {{"totals", totals_json(view)}, {"endpoints", endpoints_json(view)}, {"errors", errors_json(view)},
                {"thresholds", verdicts_json(result)}};
    for (const char* key : {"totals", "endpoints"}) drop_histograms(doc[key]);
    return doc;
}

namespace {

std::string document_text(const json& doc) {
    // Texts from the command line or a worker may hold invalid UTF-8: replaced, never thrown.
    return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string result_to_json(const run_result& result) { return document_text(result_document(result)); }

common::status write_json_file(const json& document, const std::string& path) {
    return common::write_text_file(path, document_text(document));
}

common::status write_json_file(const run_result& result, const std::string& path) {
    return write_json_file(result_document(result), path);
}

}  // namespace stampede::report
