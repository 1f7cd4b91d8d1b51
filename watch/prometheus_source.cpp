#include "watch/prometheus_source.hpp"

#include <utility>

namespace stampede::watch {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::vector<series_query> gathered_queries(const std::vector<prometheus_series>& series,
                                           std::vector<std::optional<std::size_t>>& rest_of) {
    std::vector<series_query> queries;
    for (const auto& s : series) queries.push_back(s.query);
    for (const auto& s : series) {
        rest_of.emplace_back();
        if (s.share_with) {
            rest_of.back() = queries.size();
            queries.push_back(*s.share_with);
        }
    }
    return queries;
}

}  // namespace

std::string unit_of(const prometheus_series& series) {
    if (series.share_with) return "ratio";
    const auto& q = series.query;
    // Without `read`, a counter is read as a rate: by convention its name ends in _total.
    const bool rate = q.read == reading::rate || (q.read == reading::automatic && ends_with(q.metric, "_total"));
    const std::string_view name = ends_with(q.metric, "_total") ? std::string_view(q.metric).substr(0, q.metric.size() - 6)
                                                                 : std::string_view(q.metric);
    std::string unit = ends_with(name, "_seconds") ? "s" : ends_with(name, "_bytes") ? "B" : "";
    if (rate) unit += "/s";
    // Seconds a second are a share of time: of a CPU, cores in use.
    if (unit == "s/s" && q.metric.find("cpu") != std::string::npos) unit = "cores";
    return unit;
}

prometheus_source::prometheus_source(std::string label, scrape_request request, std::vector<prometheus_series> series,
                                     exposition_limits limits)
    : label_(std::move(label)),
      request_(std::move(request)),
      limits_(limits),
      queries_(gathered_queries(series, rest_of_)),
      sampler_(queries_) {
    for (const auto& s : series) info_.push_back({s.name, unit_of(s)});
    limits_.max_bytes = request_.max_bytes;  // the text is bounded as the answer that brings it is
}

source_reading prometheus_source::read(std::chrono::steady_clock::time_point now) {
    source_reading out;
    out.values.resize(info_.size());
    auto body = scrape(request_);
    if (!body) {
        out.failure = body.error();
        return out;
    }
    const auto parsed = read_exposition(*body, limits_, [this](const exposition_sample& s) { sampler_.take(s); });
    auto scraped = sampler_.finish();
    if (!parsed) {
        out.failure = "its answer is not in Prometheus's text format: " + parsed.error();
        return out;
    }
    if (!std::exchange(answered_, true))  // a selector with a typo reads nothing: say so at once
        for (std::size_t i = 0; i < info_.size(); ++i)
            for (const auto q : {std::optional<std::size_t>(i), rest_of_[i]})
                if (q && !scraped[*q].found)
                    out.notes.push_back("series '" + info_[i].name + "': '" + queries_[*q].metric +
                                        "' with its labels matches nothing in the answer yet");
    const double seconds = last_at_ ? std::chrono::duration<double>(now - *last_at_).count() : 0;
    for (std::size_t i = 0; i < info_.size(); ++i) out.values[i] = value_of(i, scraped, seconds);
    last_ = std::move(scraped);
    last_at_ = now;
    return out;
}

std::optional<double> prometheus_source::value_of(std::size_t index, const std::vector<series_scrape>& now,
                                                  double seconds) const {
    static const series_scrape nothing;
    const auto before = [&](std::size_t i) -> const series_scrape& { return last_.empty() ? nothing : last_[i]; };
    const auto value = interval_value(queries_[index], before(index), now[index], seconds);
    if (!rest_of_[index]) return value;
    const std::size_t rest = *rest_of_[index];
    const auto other = interval_value(queries_[rest], before(rest), now[rest], seconds);
    if (!value || !other || !(*value + *other > 0)) return std::nullopt;  // no events: no share
    return *value / (*value + *other);
}

}  // namespace stampede::watch
