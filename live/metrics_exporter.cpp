#include "live/metrics_exporter.hpp"

#include <algorithm>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "master/result_model.hpp"
#include "report/result_view.hpp"

namespace stampede::live {

namespace {

std::string endpoint_label(const run_result& result, std::size_t id) {
    return id < max_metric_endpoints && id < result.endpoints.size() ? result.endpoints[id].name : "(other)";
}
std::string method_label(const run_result& result, std::size_t id) {
    return id < max_metric_endpoints && id < result.endpoints.size() ? result.endpoints[id].method : "";
}
// The scenario's name of the endpoint's host: endpoints of one name on two hosts are two series.
std::string host_label(const run_result& result, std::size_t id) {
    return id < max_metric_endpoints && id < result.endpoints.size() ? host_name(result, result.endpoints[id]) : "";
}

// "5xx" for an HTTP status; the other kinds have none.
std::string status_class(const stats::error_key& key) {
    if (key.kind != stats::error_kind::http_status || key.code < 100 || key.code > 999) return "";
    return std::to_string(key.code / 100) + "xx";
}

}  // namespace

const std::vector<double>& latency_buckets_s() {
    static const std::vector<double> bounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,   0.5,   1,      2.5,   5,    10,    30,    60};
    return bounds;
}

metrics_exporter::metrics_exporter(const run_result& result, const std::string& run_id)
    : registry_(std::make_shared<prometheus::Registry>()),
      run_{{"run_id", run_id}},
      requests_(prometheus::BuildCounter().Name("stampede_requests_total").Help("Requests completed, by endpoint").Register(*registry_)),
      failures_(prometheus::BuildCounter()
                    .Name("stampede_request_failures_total")
                    .Help("Failed requests, by endpoint, error kind and HTTP status class")
                    .Register(*registry_)),
      duration_(prometheus::BuildHistogram()
                    .Name("stampede_request_duration_seconds")
                    .Help("Response times, from the exact merged histograms of every worker")
                    .Register(*registry_)),
      users_(prometheus::BuildGauge().Name("stampede_users").Help("Users running, as the workers last said").Register(*registry_)),
      workers_(prometheus::BuildGauge().Name("stampede_workers").Help("Workers, by state").Register(*registry_)),
      iterations_(prometheus::BuildCounter()
                      .Name("stampede_iterations_total")
                      .Help("Open-model iterations started, by user class")
                      .Register(*registry_)),
      dropped_(prometheus::BuildCounter()
                   .Name("stampede_dropped_iterations_total")
                   .Help("Open-model iterations dropped for want of a free user, by user class")
                   .Register(*registry_)),
      checks_(prometheus::BuildCounter()
                  .Name("stampede_checks_total")
                  .Help("Check results, by endpoint, check and result (pass or fail)")
                  .Register(*registry_)),
      thresholds_(prometheus::BuildGauge()
                      .Name("stampede_threshold_passed")
                      .Help("1 if the threshold passed, 0 if it failed: set when the run ends")
                      .Register(*registry_)),
      running_(prometheus::BuildGauge().Name("stampede_run_running").Help("1 while the run goes, 0 once it ended").Register(*registry_)),
      watch_(*registry_, run_) {
    running_.Add(run_).Set(1);
    endpoints_.resize(std::min(result.endpoints.size(), max_metric_endpoints + 1));
    checks_seen_.resize(result.checks.size());
    classes_seen_.resize(result.user_classes.size());
    users_.Add(run_).Set(0);
}

metrics_exporter::endpoint_metrics& metrics_exporter::endpoint(const run_result& result, std::size_t id) {
    auto& m = endpoints_[std::min(id, max_metric_endpoints)];
    if (!m.requests) {
        auto labels = run_;
        labels["endpoint"] = endpoint_label(result, id);
        labels["method"] = method_label(result, id);
        labels["host"] = host_label(result, id);
        m.requests = &requests_.Add(labels);
        m.duration = &duration_.Add(labels, latency_buckets_s());
        m.buckets_seen.assign(latency_buckets_s().size() + 1, 0);
    }
    return m;
}

// Counters move by what the totals gained since the last interval: they never go back.
void metrics_exporter::export_totals(const run_result& result) {
    export_endpoints(result);
    export_failures(result);
    export_checks(result);
    export_classes(result);
}

void metrics_exporter::export_endpoints(const run_result& result) {
    const auto& bounds = latency_buckets_s();
    std::vector<std::vector<std::uint64_t>> buckets(endpoints_.size(), std::vector<std::uint64_t>(bounds.size() + 1, 0));
    std::vector<std::uint64_t> requests(endpoints_.size(), 0), sums(endpoints_.size(), 0);
    for (std::size_t id = 0; id < result.totals.endpoints.size(); ++id) {
        const auto& s = result.totals.endpoints[id];
        if (s.requests == 0) continue;
        const auto slot = std::min(id, max_metric_endpoints);
        endpoint(result, id);
        requests[slot] += s.requests;
        sums[slot] += s.latency.sum();
        for (const auto& b : s.latency.buckets()) {
            // A bucket counts under the first bound its highest value does not pass.
            const double high_s = static_cast<double>(b.high) / 1e6;
            const auto at = std::lower_bound(bounds.begin(), bounds.end(), high_s) - bounds.begin();
            buckets[slot][static_cast<std::size_t>(at)] += b.count;
        }
    }
    for (std::size_t slot = 0; slot < endpoints_.size(); ++slot) {
        auto& m = endpoints_[slot];
        if (!m.requests || requests[slot] < m.requests_seen) continue;
        m.requests->Increment(static_cast<double>(requests[slot] - m.requests_seen));
        m.requests_seen = requests[slot];
        std::vector<double> increments(buckets[slot].size());
        for (std::size_t i = 0; i < increments.size(); ++i) {
            increments[i] = static_cast<double>(buckets[slot][i] - std::min(buckets[slot][i], m.buckets_seen[i]));
            m.buckets_seen[i] = std::max(m.buckets_seen[i], buckets[slot][i]);
        }
        const auto sum = std::max(sums[slot], m.sum_us_seen);
        m.duration->ObserveMultiple(increments, static_cast<double>(sum - m.sum_us_seen) / 1e6);
        m.sum_us_seen = sum;
    }
}

void metrics_exporter::export_failures(const run_result& result) {
    std::map<std::pair<std::size_t, std::string>, std::pair<stats::error_key, std::uint64_t>> failures;
    for (const auto& [key, record] : result.totals.errors) {
        auto& f = failures[{std::min<std::size_t>(key.endpoint, max_metric_endpoints),
                            std::string(stats::to_string(key.kind)) + "/" + status_class(key)}];
        f.first = key;
        f.second += record.count;
    }
    for (const auto& [slot_kind, f] : failures) {
        auto& seen = failures_seen_[slot_kind];
        if (f.second <= seen) continue;
        auto labels = run_;
        labels["endpoint"] = endpoint_label(result, f.first.endpoint);
        labels["method"] = method_label(result, f.first.endpoint);
        labels["host"] = host_label(result, f.first.endpoint);
        labels["kind"] = std::string(stats::to_string(f.first.kind));
        labels["status_class"] = status_class(f.first);
        failures_.Add(labels).Increment(static_cast<double>(f.second - seen));
        seen = f.second;
    }
}

void metrics_exporter::export_checks(const run_result& result) {
    for (std::size_t i = 0; i < result.checks.size() && i < result.totals.checks.size(); ++i) {
        const auto& c = result.totals.checks[i];
        auto& [passed_seen, failed_seen] = checks_seen_[i];
        auto labels = run_;
        labels["endpoint"] = endpoint_label(result, result.checks[i].endpoint_id);
        labels["host"] = host_label(result, result.checks[i].endpoint_id);
        labels["check"] = result.checks[i].description.substr(0, 120);
        if (c.passed > passed_seen) {
            labels["result"] = "pass";
            checks_.Add(labels).Increment(static_cast<double>(c.passed - passed_seen));
            passed_seen = c.passed;
        }
        if (c.failed > failed_seen) {
            labels["result"] = "fail";
            checks_.Add(labels).Increment(static_cast<double>(c.failed - failed_seen));
            failed_seen = c.failed;
        }
    }
}

void metrics_exporter::export_classes(const run_result& result) {
    for (std::size_t i = 0; i < result.totals.classes.size() && i < classes_seen_.size(); ++i) {
        const auto& c = result.totals.classes[i];
        auto& [iterations_seen, dropped_seen] = classes_seen_[i];
        if (c.iterations == 0 && c.dropped == 0) continue;
        auto labels = run_;
        labels["user_class"] = result.user_classes[i];
        auto& started = iterations_.Add(labels);
        auto& dropped = dropped_.Add(labels);
        started.Increment(static_cast<double>(c.iterations - std::min(c.iterations, iterations_seen)));
        dropped.Increment(static_cast<double>(c.dropped - std::min(c.dropped, dropped_seen)));
        iterations_seen = std::max(iterations_seen, c.iterations);
        dropped_seen = std::max(dropped_seen, c.dropped);
    }
}

void metrics_exporter::export_status(const cluster_status& status) {
    users_.Add(run_).Set(status.running_users);
    std::map<std::string, int> by_state;
    for (auto s : {worker_state::joining, worker_state::ready, worker_state::running, worker_state::stopped,
                   worker_state::lost, worker_state::quit, worker_state::failed})
        by_state[std::string(state_name(s))] = 0;
    for (const auto& w : status.workers) ++by_state[std::string(state_name(w.state))];
    for (const auto& [state, n] : by_state) {
        auto labels = run_;
        labels["state"] = state;
        workers_.Add(labels).Set(n);
    }
}

void metrics_exporter::on_interval(const run_result& result, const cluster_status& status) {
    export_totals(result);
    export_status(status);
    watch_.update(result.watch);
}

void metrics_exporter::on_finish(const run_result& result) {
    export_totals(result);
    watch_.update(result.watch);
    users_.Add(run_).Set(0);
    running_.Add(run_).Set(0);
    for (const auto& v : result.verdicts) {
        auto labels = run_;
        labels["threshold"] = v.target.substr(0, 120);
        labels["scope"] = v.scope.empty() ? "run" : v.scope + " " + v.endpoint.substr(0, 80);
        thresholds_.Add(labels).Set(v.passed ? 1 : 0);
    }
}

std::string metrics_exporter::scrape() const {
    return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace stampede::live
