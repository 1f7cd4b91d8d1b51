#pragma once
// The service's watched series re-exported beside the run's own metrics, so that one Grafana
// shows the load and the service on one time axis: each series a gauge named
// `stampede_watch_NAME` (NAME as the watch section writes it, '.' and '-' made '_', a trailing
// `_total` left off: a gauge's name does not end so), its last reading, with the run's id and
// the series' unit as labels. A series whose source did not
// answer at the last moment has no sample, rather than a stale one.
#include <cstddef>
#include <string>
#include <vector>

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "report/watch_record.hpp"

namespace stampede::live {

// `name` as a Prometheus metric name under the prefix: `opscore.memory` is `stampede_watch_opscore_memory`.
std::string watch_metric_name(const std::string& name);

class watch_metrics {
public:
    watch_metrics(prometheus::Registry& registry, prometheus::Labels run) : registry_(registry), run_(std::move(run)) {}
    // The last moment's readings of `watch`.
    void update(const report::watch_record& watch);

private:
    struct series_gauge {
        prometheus::Family<prometheus::Gauge>* family = nullptr;
        prometheus::Gauge* gauge = nullptr;  // none while its source does not answer
    };
    void add_family(const report::watched_series& s);

    prometheus::Registry& registry_;
    prometheus::Labels run_;
    std::vector<series_gauge> gauges_;  // as the record's series
};

}  // namespace stampede::live
