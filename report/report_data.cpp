#include "report/report_data.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "report/histogram_json.hpp"
#include "report/result_document.hpp"
#include "report/timeline_json.hpp"
#include "report/watch_json.hpp"

namespace stampede::report {

using nlohmann::json;

namespace {

// Counts per latency bin, bins equally wide on a log scale (`per_decade` to a factor of ten),
// from the first non-empty one to the last: exact counts, only the bin edges are chosen.
json distribution(const stats::histogram& h, int per_decade) {
    std::map<int, std::uint64_t> bins;
    for (const auto& b : h.buckets()) {
        const double mid = std::max(1.0, (static_cast<double>(b.low) + static_cast<double>(b.high)) / 2);
        bins[static_cast<int>(std::floor(std::log10(mid) * per_decade))] += b.count;
    }
    json upper = json::array(), counts = json::array();
    if (!bins.empty())
        for (int k = bins.begin()->first; k <= bins.rbegin()->first; ++k) {
            const double edge_us = std::pow(10.0, static_cast<double>(k + 1) / per_decade);
            upper.push_back(std::round(edge_us) / 1000.0);
            const auto it = bins.find(k);
            counts.push_back(it == bins.end() ? 0 : it->second);
        }
    return {{"upper_ms", std::move(upper)}, {"count", std::move(counts)}};
}

// Replaces every "histogram" under `row` by nothing, and the row's own by its distribution.
common::status take_histograms(json& row, int per_decade) {
    if (row.contains("histogram")) {
        auto h = histogram_from_json(row["histogram"]);
        if (!h) return h.why();
        row["distribution"] = distribution(*h, per_decade);
        row.erase("histogram");
    }
    for (auto& [key, value] : row.items())
        if (value.is_object() && value.contains("histogram")) value.erase("histogram");
    return {};
}

// The busiest endpoints keep their series over time; the rest are named as left out.
void bound_series(json& timeline, std::size_t most) {
    auto& endpoints = timeline["endpoints"];
    if (!endpoints.is_array() || endpoints.size() <= most) return;
    auto total = [](const json& e) {
        std::uint64_t n = 0;
        for (const auto& v : e.value("requests", json::array())) n += v.is_number() ? v.get<std::uint64_t>() : 0;
        return n;
    };
    std::vector<std::size_t> order(endpoints.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return total(endpoints[a]) > total(endpoints[b]); });
    json kept = json::array();
    std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(most));
    for (std::size_t i = 0; i < most; ++i) kept.push_back(std::move(endpoints[order[i]]));
    timeline["endpoints_left_out"] = endpoints.size() - most;
    endpoints = std::move(kept);
}

void bound_errors(json& data, std::size_t most) {
    auto& errors = data["errors"];
    if (!errors.is_array() || errors.size() <= most) return;
    std::stable_sort(errors.begin(), errors.end(), [](const json& a, const json& b) {
        return a.value("occurrences", 0.0) > b.value("occurrences", 0.0);
    });
    data["errors_left_out"] = errors.size() - most;
    errors.erase(errors.begin() + static_cast<std::ptrdiff_t>(most), errors.end());
}

common::result<json> shape(const json& result, const report_limits& limits) {
    if (!is_result_document(result)) return common::fail(not_a_result);
    // The page draws what it is given: what it reads is checked first, so a damaged file is
    // refused with where, not drawn half.
    if (auto ok = check_row(result["totals"], "totals"); !ok) return ok.why();
    for (const auto& e : result["endpoints"])
        if (auto ok = check_row(e, "endpoint " + e.value("name", std::string("?"))); !ok) return ok.why();
    if (!result.contains("timeline")) return common::fail("no \"timeline\" (a result written by an older Stampede has none)");
    if (auto ok = check_timeline(result["timeline"]); !ok) return ok.why();
    json data = result;
    data.erase("history");  // the timeline holds the same, by column
    if (auto taken = take_histograms(data["totals"], limits.bins_per_decade); !taken)
        return common::fail("totals: " + taken.error());
    for (auto& e : data["endpoints"]) {
        if (!e.is_object()) return common::fail("an endpoint is not an object");
        if (auto taken = take_histograms(e, limits.bins_per_decade); !taken)
            return common::fail("endpoint " + e.value("name", std::string("?")) + ": " + taken.error());
    }
    if (data.contains("hosts") && data["hosts"].is_array())  // the hosts' table reads figures only
        for (auto& h : data["hosts"])
            if (h.is_object()) h.erase("histogram");
    if (data.contains("open_classes") && data["open_classes"].is_array())
        for (auto& c : data["open_classes"])
            if (c.is_object() && c.contains("start_lag") && c["start_lag"].is_object()) c["start_lag"].erase("histogram");
    if (data.contains("watch") && !data["watch"].is_null()) {
        if (auto watch = read_watch(data["watch"]); !watch) return watch.why();
        auto& series = data["watch"]["series"];
        if (series.size() > limits.watched_series) {  // the rest keep their figures in the JSON result
            data["watch"]["series_left_out"] = series.size() - limits.watched_series;
            series.erase(series.begin() + static_cast<std::ptrdiff_t>(limits.watched_series), series.end());
        }
    }
    bound_series(data["timeline"], limits.endpoints_over_time);
    bound_errors(data, limits.error_rows);
    return data;
}

}  // namespace

common::result<json> make_report_data(const json& result, const report_limits& limits) {
    try {
        return shape(result, limits);
    } catch (const json::exception& e) {  // a key of the wrong type
        return common::fail(std::string("not a Stampede result: ") + e.what());
    }
}

}  // namespace stampede::report
