#pragma once
// A watched series: which samples of a service's exposition it reads (a metric family and
// label matchers; every series that matches is summed, so labels a user leaves out are summed
// over) and how (a gauge's value, a counter's rate, a histogram's quantile or average over the
// interval), written as Prometheus selectors are: `name{label="value",other!="value"}`.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace stampede::watch {

struct label_matcher {
    std::string name;
    std::string value;
    bool equal = true;  // `=`; false: `!=`
};

enum class reading {
    automatic,  // by the family's type: a counter's rate, a histogram's or a summary's average, else the value
    value,      // the value now (a gauge, or a counter's total)
    rate,       // the increase per second over the interval (a counter; a reset counts from zero)
    quantile,   // of the interval's observations (a histogram's buckets; a summary's own quantile)
    average,    // of the interval's observations: the increase of _sum over that of _count
};

struct series_query {
    std::string metric;  // the family: a histogram's name without _bucket, _sum or _count
    std::vector<label_matcher> labels;
    reading read = reading::automatic;
    double quantile = 0;  // for reading::quantile, in (0, 1)

    // Whether a sample's labels hold every matcher (a label it lacks reads as empty, as in Prometheus).
    template <class Labels>
    bool matches(const Labels& sample_labels) const;
};

// `name` or `name{label="value",label!="value"}`; why not, and where: `error_at` (when given)
// receives the offset into `text` the problem is at.
common::result<series_query> parse_selector(std::string_view text, std::size_t* error_at = nullptr);
// `value`, `rate`, `avg`, or `pNN` (p50, p95, p99.9): how a series is read; why not.
common::status parse_reading(std::string_view text, series_query& query);

template <class Labels>
bool series_query::matches(const Labels& sample_labels) const {
    for (const auto& m : labels) {
        std::string_view found;
        for (const auto& [name, value] : sample_labels)
            if (name == m.name) found = value;
        if ((found == m.value) != m.equal) return false;
    }
    return true;
}

}  // namespace stampede::watch
