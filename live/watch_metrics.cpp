#include "live/watch_metrics.hpp"

#include <cmath>
#include <set>

namespace stampede::live {

std::string watch_metric_name(const std::string& name) {
    std::string out = "stampede_watch_";
    for (const char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    // A gauge's name does not end in _total, which Prometheus keeps for counters.
    while (out.size() > 6 + 15 && out.ends_with("_total")) out.resize(out.size() - 6);
    return out;
}

void watch_metrics::add_family(const report::watched_series& s) {
    // Two names may meet once '.' and '-' are '_' ("a-b", "a_b"): the later one is numbered.
    std::set<std::string> taken;
    for (const auto& g : gauges_) taken.insert(g.family->GetName());
    std::string name = watch_metric_name(s.name);
    for (int n = 2; taken.count(name); ++n) name = watch_metric_name(s.name) + "_" + std::to_string(n);
    auto& family = prometheus::BuildGauge()
                       .Name(name)
                       .Help("The service's " + s.name + ", read by the master from " + s.source +
                             (s.unit.empty() ? "" : ", in " + s.unit))
                       .Register(registry_);
    gauges_.push_back({&family, nullptr});
}

void watch_metrics::update(const report::watch_record& watch) {
    while (gauges_.size() < watch.series.size()) add_family(watch.series[gauges_.size()]);
    for (std::size_t i = 0; i < watch.series.size(); ++i) {
        const auto& s = watch.series[i];
        auto& g = gauges_[i];
        const float last = s.values.empty() ? NAN : s.values.back();
        if (std::isnan(last)) {
            if (g.gauge) g.family->Remove(g.gauge);
            g.gauge = nullptr;
            continue;
        }
        if (!g.gauge) {
            auto labels = run_;
            if (!s.unit.empty()) labels["unit"] = s.unit;
            g.gauge = &g.family->Add(labels);
        }
        g.gauge->Set(last);
    }
}

}  // namespace stampede::live
