#pragma once
// What one scrape of a service says for each watched series, and what a series reads over the
// interval between two scrapes. A scrape is taken sample by sample as the exposition reader
// passes them, keeping per series only sums (and a histogram's buckets): a service with a
// million series costs the scrape's reading, not its memory. The interval's value is a gauge's
// value, a counter's rate (a counter that went down was reset: it counts from zero), a
// histogram's quantile by linear interpolation within its bucket (as Prometheus's
// histogram_quantile does) or its average, each from the interval's increase alone.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "watch/exposition_reader.hpp"
#include "watch/series_query.hpp"

namespace stampede::watch {

// One series' part of one scrape, summed over the samples that matched.
struct series_scrape {
    bool found = false;  // some sample matched
    metric_type type = metric_type::untyped;
    double value = 0;               // a counter's, gauge's or untyped family's samples
    double sum = 0, count = 0;      // a histogram's or summary's _sum and _count
    std::vector<std::pair<double, double>> buckets;  // a histogram's: upper bound, cumulative count; by bound
    std::optional<double> reported_quantile;        // a summary's own sample for the query's quantile
};

// Gathers one scrape for several series.
class series_sampler {
public:
    explicit series_sampler(const std::vector<series_query>& queries);

    // A sample as the reader passes it; ignored unless some series reads its family.
    void take(const exposition_sample& sample);
    // What the scrape said for each series, in the queries' order; the sampler starts afresh.
    std::vector<series_scrape> finish();

private:
    void take_into(std::size_t index, const exposition_sample& sample);

    // The queries of one family, found for a sample without trying each: those with an equality
    // matcher by its label's value (each under its first), the rest tried on every sample.
    struct family_queries {
        std::vector<std::size_t> unindexed;
        std::vector<std::pair<std::string_view, std::unordered_map<std::string_view, std::vector<std::size_t>>>> by_label;
    };
    void index(std::size_t query);
    template <class Each>
    void candidates(const family_queries& family, const exposition_sample& sample, Each each) const;

    const std::vector<series_query>& queries_;
    // The queries of each family read: a sample of any other family costs one lookup, and one
    // of a family read costs a lookup per label indexed, not a comparison per query (a service
    // watched for 10,000 series is read each second).
    std::unordered_map<std::string_view, family_queries> by_family_;
    std::vector<series_scrape> scrapes_;
};

// What `query` reads over the interval from `before` to `after`, `seconds` apart; none when
// there is nothing to read (the series is missing, the interval has no observations, or a rate
// has no time).
std::optional<double> interval_value(const series_query& query, const series_scrape& before, const series_scrape& after,
                                     double seconds);

}  // namespace stampede::watch
