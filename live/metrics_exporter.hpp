#pragma once
// The run as Prometheus metrics (`GET /metrics`), on prometheus-cpp's registry and text
// serializer: counters that only grow (`_total`), latency as histogram buckets in seconds
// taken from the exact merged histograms (so `histogram_quantile` over several endpoints or
// runs is right), users, workers by state, open-model iterations and drops, checks and the
// verdicts. Labels are few and bounded: the endpoint's method and name (past a cap, one
// "(other)" row), an error's kind and status class, the user class, the run id.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "live/run_names.hpp"
#include "live/watch_metrics.hpp"

namespace stampede::live {

// Endpoints past this share one "(other)" label: a scenario of thousands stays scrapable.
inline constexpr std::size_t max_metric_endpoints = 100;
// The latency buckets' upper bounds, in seconds.
const std::vector<double>& latency_buckets_s();

class metrics_exporter : public run_observer {
public:
    metrics_exporter(const run_result& result, const std::string& run_id);
    void on_interval(const run_result& result, const cluster_status& status) override;
    void on_finish(const run_result& result) override;
    std::string scrape() const;  // the text exposition format

private:
    struct endpoint_metrics {
        prometheus::Counter* requests = nullptr;
        prometheus::Histogram* duration = nullptr;
        std::uint64_t requests_seen = 0;
        std::vector<std::uint64_t> buckets_seen;  // cumulative per bucket, +Inf last
        std::uint64_t sum_us_seen = 0;
    };
    void export_totals(const run_result& result);
    void export_endpoints(const run_result& result);
    void export_failures(const run_result& result);
    void export_checks(const run_result& result);
    void export_classes(const run_result& result);
    void export_status(const cluster_status& status);
    endpoint_metrics& endpoint(const run_result& result, std::size_t id);

    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Labels run_;
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Counter>& failures_;
    prometheus::Family<prometheus::Histogram>& duration_;
    prometheus::Family<prometheus::Gauge>& users_;
    prometheus::Family<prometheus::Gauge>& workers_;
    prometheus::Family<prometheus::Counter>& iterations_;
    prometheus::Family<prometheus::Counter>& dropped_;
    prometheus::Family<prometheus::Counter>& checks_;
    prometheus::Family<prometheus::Gauge>& thresholds_;
    prometheus::Family<prometheus::Gauge>& running_;
    std::vector<endpoint_metrics> endpoints_;  // by endpoint id (the shared "(other)" past the cap)
    std::map<std::pair<std::size_t, std::string>, std::uint64_t> failures_seen_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> checks_seen_, classes_seen_;
    watch_metrics watch_;  // the service's watched series, beside the run's own
};

}  // namespace stampede::live
