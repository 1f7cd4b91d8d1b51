#pragma once
// A Prometheus endpoint of the service as a watched source: each reading scrapes it once, reads
// the answer with the exposition reader straight into a sampler, and gives each named series its
// value over the time since the last scrape that answered (a rate, a quantile, an average, a
// value, or one rate's share of two).
#include <optional>
#include <string>
#include <vector>

#include "watch/exposition_reader.hpp"
#include "watch/scrape_client.hpp"
#include "watch/series_query.hpp"
#include "watch/series_sampler.hpp"
#include "watch/watched_source.hpp"

namespace stampede::watch {

// A series as a Prometheus source reads it: one selector, or one rate's share of two.
struct prometheus_series {
    std::string name;
    series_query query;
    std::optional<series_query> share_with;  // set: query's rate over (query's + this one's)
};

// The unit a series is shown in, from Prometheus's naming conventions: `_seconds` is in
// seconds, `_bytes` in bytes, and a rate is per second of that ("B/s", or "/s" for a count).
std::string unit_of(const prometheus_series& series);

class prometheus_source final : public watched_source {
public:
    prometheus_source(std::string label, scrape_request request, std::vector<prometheus_series> series,
                      exposition_limits limits = {});

    const std::string& label() const override { return label_; }
    const std::vector<series_info>& series() const override { return info_; }
    bool may_wait() const override { return true; }
    source_reading read(std::chrono::steady_clock::time_point now) override;

private:
    std::optional<double> value_of(std::size_t index, const std::vector<series_scrape>& now, double seconds) const;

    std::string label_;
    scrape_request request_;
    exposition_limits limits_;
    std::vector<series_info> info_;
    std::vector<std::optional<std::size_t>> rest_of_;  // per series: its share's rest in queries_
    // Every query the sampler gathers: each series' own, then the rest of each share (made with rest_of_).
    std::vector<series_query> queries_;
    series_sampler sampler_;                           // reads queries_: declared after it
    std::vector<series_scrape> last_;                  // the last scrape that answered
    std::optional<std::chrono::steady_clock::time_point> last_at_;
    bool answered_ = false;  // a scrape has answered: the series it lacked were noted
};

}  // namespace stampede::watch
