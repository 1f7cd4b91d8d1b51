#include "watch/series_sampler.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace stampede::watch {

namespace {

bool parse_number(std::string_view text, double& out) {
    if (text == "+Inf" || text == "Inf") {
        out = INFINITY;
        return true;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

// Adds a bucket's cumulative count under its upper bound, keeping the list sorted by bound.
void add_bucket(std::vector<std::pair<double, double>>& buckets, double bound, double count) {
    const auto it = std::lower_bound(buckets.begin(), buckets.end(), bound,
                                     [](const auto& b, double v) { return b.first < v; });
    if (it != buckets.end() && it->first == bound) it->second += count;
    else buckets.insert(it, {bound, count});
}

// Linear interpolation within the bucket that holds the rank, from cumulative counts that
// only grow; the +Inf bucket reads as the highest finite bound.
std::optional<double> bucket_quantile(const std::vector<std::pair<double, double>>& buckets, double q) {
    if (buckets.empty() || buckets.back().second <= 0) return std::nullopt;
    const double rank = q * buckets.back().second;
    double lower = 0, below = 0;
    for (const auto& [bound, cumulative] : buckets) {
        if (cumulative >= rank) {
            if (std::isinf(bound)) return lower;
            if (cumulative == below) return bound;
            return lower + (bound - lower) * (rank - below) / (cumulative - below);
        }
        lower = bound;
        below = cumulative;
    }
    return lower;
}

// What a counting series gained over the interval: after less before, or all of after when it
// went down (the service restarted and its counters began again).
double increase(double before, double after) { return after >= before ? after - before : after; }

reading effective(const series_query& q, metric_type type) {
    if (q.read != reading::automatic) return q.read;
    switch (type) {
        case metric_type::counter: return reading::rate;
        case metric_type::histogram:
        case metric_type::summary: return reading::average;
        default: return reading::value;
    }
}

}  // namespace

series_sampler::series_sampler(const std::vector<series_query>& queries) : queries_(queries), scrapes_(queries.size()) {
    for (std::size_t i = 0; i < queries_.size(); ++i) index(i);
}

void series_sampler::index(std::size_t i) {
    auto& family = by_family_[queries_[i].metric];
    const auto equal = std::find_if(queries_[i].labels.begin(), queries_[i].labels.end(), [](const auto& m) { return m.equal; });
    if (equal == queries_[i].labels.end()) {
        family.unindexed.push_back(i);
        return;
    }
    auto label = std::find_if(family.by_label.begin(), family.by_label.end(), [&](const auto& l) { return l.first == equal->name; });
    if (label == family.by_label.end()) label = family.by_label.insert(family.by_label.end(), {equal->name, {}});
    label->second[equal->value].push_back(i);
}

// Each query that may match `sample`: those indexed under one of its label values (a label it
// lacks reads as empty, as a matcher reads it), and the unindexed ones.
template <class Each>
void series_sampler::candidates(const family_queries& family, const exposition_sample& sample, Each each) const {
    for (const auto& [name, by_value] : family.by_label) {
        const auto* value = sample.label(name);
        const auto found = by_value.find(value ? *value : std::string_view());
        if (found != by_value.end())
            for (const auto i : found->second) each(i);
    }
    for (const auto i : family.unindexed) each(i);
}

void series_sampler::take(const exposition_sample& sample) {
    const auto family = by_family_.find(sample.family);
    if (family == by_family_.end()) return;
    candidates(family->second, sample, [&](std::size_t i) {
        if (queries_[i].matches(sample.labels)) take_into(i, sample);
    });
}

void series_sampler::take_into(std::size_t index, const exposition_sample& sample) {
    auto& s = scrapes_[index];
    s.found = true;
    s.type = sample.type;
    const bool composite = sample.type == metric_type::histogram || sample.type == metric_type::summary;
    if (!composite || sample.name == sample.family) {
        if (sample.type == metric_type::summary) {  // a quantile the service computed itself
            double q = 0;
            const auto* label = sample.label("quantile");
            if (label && parse_number(*label, q) && std::abs(q - queries_[index].quantile) < 1e-9)
                s.reported_quantile = s.reported_quantile.value_or(0) + sample.value;
            return;
        }
        s.value += sample.value;
        return;
    }
    const auto suffix = sample.name.substr(sample.family.size());
    if (suffix == "_sum") s.sum += sample.value;
    else if (suffix == "_count") s.count += sample.value;
    else if (suffix == "_bucket")
        if (const auto* le = sample.label("le"); le) {
            double bound = 0;
            if (parse_number(*le, bound)) add_bucket(s.buckets, bound, sample.value);
        }
}

std::vector<series_scrape> series_sampler::finish() {
    auto out = std::move(scrapes_);
    scrapes_.assign(queries_.size(), {});
    return out;
}

std::optional<double> interval_value(const series_query& query, const series_scrape& before, const series_scrape& after,
                                     double seconds) {
    if (!after.found) return std::nullopt;
    switch (effective(query, after.type)) {
        case reading::value:
        case reading::automatic: return after.value;
        case reading::rate:
            if (!before.found || !(seconds > 0)) return std::nullopt;
            return increase(before.value, after.value) / seconds;
        case reading::average: {
            const double observed = before.found ? increase(before.count, after.count) : after.count;
            if (!(observed > 0)) return std::nullopt;
            return (before.found && after.count >= before.count ? after.sum - before.sum : after.sum) / observed;
        }
        case reading::quantile: {
            if (after.type == metric_type::summary) return after.reported_quantile;
            // The interval's own buckets: after less before, when the bounds are the same and no
            // count went down; else (a restart, a changed layout) what `after` holds.
            auto buckets = after.buckets;
            const bool comparable = before.found && before.buckets.size() == buckets.size() &&
                                    std::equal(buckets.begin(), buckets.end(), before.buckets.begin(), [](const auto& a, const auto& b) {
                                        return a.first == b.first && a.second >= b.second;
                                    });
            if (comparable)
                for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i].second -= before.buckets[i].second;
            return bucket_quantile(buckets, query.quantile);
        }
    }
    return std::nullopt;
}

}  // namespace stampede::watch
