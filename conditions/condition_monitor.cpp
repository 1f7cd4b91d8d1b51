#include "conditions/condition_monitor.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

namespace stampede::conditions {

namespace {

// Farther toward failing: higher for "< value", lower for "> value".
bool nearer_failing(const lang::threshold_spec& t, double candidate, double so_far) {
    const bool upper_bound = t.op == lang::threshold_op::less || t.op == lang::threshold_op::less_equal;
    return upper_bound ? candidate > so_far : candidate < so_far;
}

std::string seconds_text(common::micros d) { return common::format_duration(d); }

}  // namespace

condition_monitor::condition_monitor(const std::vector<lang::threshold_spec>& thresholds,
                                     const std::vector<lang::threshold_spec>& stop_when,
                                     std::vector<lang::check_info> checks, std::vector<std::string> classes,
                                     common::micros interval, const report::baseline* base)
    : checks_(std::move(checks)), classes_(std::move(classes)), interval_(interval.count() > 0 ? interval : common::micros(1'000'000)) {
    auto add = [&](const lang::threshold_spec& t, bool stop, std::size_t index) {
        live_condition c;
        c.spec = t;
        c.stop_condition = stop;
        c.index = index;
        if (t.window) c.window_intervals = static_cast<std::size_t>(std::max<long long>(
                          1, std::llround(static_cast<double>(t.window->count()) / static_cast<double>(interval_.count()))));
        if (auto absolute = absolute_threshold(t, base)) c.spec = std::move(*absolute);
        else c.usable = false;  // left to the verdict at the end, which says why
        conditions_.push_back(std::move(c));
    };
    for (std::size_t i = 0; i < thresholds.size(); ++i)
        if (thresholds[i].judged_live()) add(thresholds[i], false, i);
    for (std::size_t i = 0; i < stop_when.size(); ++i) add(stop_when[i], true, i);
}

condition_monitor::outcome condition_monitor::add(const stats::stats_delta& delta,
                                                  const stats::endpoint_stats& every_endpoint, double seconds,
                                                  double elapsed_s, const report::run_result& result,
                                                  std::optional<span_s> in_flight) {
    outcome out;
    const auto elapsed = common::micros(static_cast<common::micros::rep>(elapsed_s * 1e6));
    const bool settling = std::exchange(stage_settling_, false);
    watch_ = &result.watch;
    last_elapsed_s_ = elapsed_s;
    for (auto& c : conditions_) {
        if (!c.usable) continue;
        if (c.stop_condition && !settling)
            c.stage.merge(figures_of(c.spec, delta, {checks_, classes_}, seconds, &every_endpoint));
        if (c.stop_condition && settling) c.stage_from_s = elapsed_s;
        const auto j = judge(c, delta, every_endpoint, seconds, elapsed_s, result);
        if (elapsed < c.spec.grace) continue;
        if (c.window_intervals > 0 && c.window.size() < c.window_intervals) continue;  // not a whole window yet
        if (waits_for(c, elapsed_s, in_flight)) continue;
        auto stop = note(c, j, elapsed_s, out);
        if (stop && !out.stop) out.stop = std::move(stop);
    }
    return out;
}

// Whether counts still on their way belong to what the condition measures now: its window's
// span, or (over the run so far) counts missing right now.
bool condition_monitor::waits_for(const live_condition& c, double elapsed_s, const std::optional<span_s>& in_flight) const {
    if (!in_flight) return false;
    const double interval_s = std::chrono::duration<double>(interval_).count();
    const double from = c.window_intervals > 0 ? elapsed_s - static_cast<double>(c.window_intervals) * interval_s
                                               : elapsed_s - interval_s;
    return in_flight->second > from;
}

void condition_monitor::place_late(const stats::stats_delta& delta, const stats::endpoint_stats& every_endpoint,
                                   std::size_t intervals_ago) {
    for (auto& c : conditions_) {
        if (!c.usable || c.window_intervals == 0 || intervals_ago >= c.window.size()) continue;
        c.window[c.window.size() - 1 - intervals_ago].merge(
            figures_of(c.spec, delta, {checks_, classes_}, 0, &every_endpoint));
    }
}

// The condition's figures for this interval join its window; the window (or the run so far)
// is measured: its requests, or a watched series' readings over the same span.
condition_monitor::judged condition_monitor::judge(live_condition& c, const stats::stats_delta& delta,
                                                   const stats::endpoint_stats& every_endpoint, double seconds,
                                                   double elapsed_s, const report::run_result& result) {
    scope_figures span;
    if (c.window_intervals > 0) {
        c.window.push_back(figures_of(c.spec, delta, {checks_, classes_}, seconds, &every_endpoint));
        while (c.window.size() > c.window_intervals) c.window.pop_front();
        for (const auto& f : c.window) span.merge(f);
    } else if (!c.spec.watched) {
        span = figures_of(c.spec, result.totals, {checks_, classes_}, result.seconds_since_start(report::wall_clock::now()),
                          &result.aggregate);
    }
    judged j;
    std::optional<lang::threshold_spec> limit = c.spec;
    if (c.spec.watched) {
        const double window_s = std::chrono::duration<double>(c.spec.window.value_or(common::micros(0))).count();
        const double from_s = c.window_intervals > 0 ? elapsed_s - window_s : std::chrono::duration<double>(c.spec.grace).count();
        j.measured = measure_watched(c.spec, result.watch, from_s, elapsed_s + 1e-6);
    } else {
        limit = against_figures(c.spec, span);
        if (limit) j.measured = measure(c.spec, span);  // a relative one with nothing to compare with: no data
    }
    if (j.measured) j.breaks = c.stop_condition == lang::threshold_holds(*limit, *j.measured);
    else j.breaks = !c.stop_condition && !c.spec.no_data_passes;  // no data holds no stop, fails a threshold
    return j;
}

// The judgement recorded; a stop when this is the first failure of an aborting threshold, or
// a stop condition held.
std::optional<stop_request> condition_monitor::note(live_condition& c, const judged& j, double elapsed_s,
                                                    outcome& out) {
    auto& r = c.record;
    ++r.judged;
    if (j.measured) {
        ++r.with_data;
        if (!r.worst || nearer_failing(c.spec, *j.measured, *r.worst)) {
            r.worst = j.measured;
            r.worst_at_s = elapsed_s;
        }
    }
    if (!j.breaks || r.failed || r.failed_without_data) return std::nullopt;
    r.failed = j.measured;
    r.failed_without_data = !j.measured;
    r.failed_at_s = elapsed_s;
    const auto measured_text = (j.measured ? lang::format_measured(c.spec, *j.measured) : std::string("no data")) +
                               " " + span_text(c.spec);
    out.events.emplace_back(c.stop_condition ? report::event_kind::stop_condition_met : report::event_kind::threshold_failed,
                            fmt::format("{}: {}", c.spec.text, measured_text));
    if (!c.stop_condition && !c.spec.abort_on_fail) return std::nullopt;
    return stop_request{c.stop_condition, c.index, c.spec.text, measured_text, elapsed_s};
}

void condition_monitor::begin_stage() {
    for (auto& c : conditions_) {
        c.previous_stage = std::move(c.stage);
        c.stage = {};
        c.previous_from_s = std::exchange(c.stage_from_s, 1e300);  // its own span starts once it settles
        c.previous_to_s = last_elapsed_s_;
    }
    stage_settling_ = true;
}

// What a stop condition measures over a stage's own span (its requests, or the readings of a
// watched series then), with `limit` its bound there.
std::optional<double> condition_monitor::measure_stage(const live_condition& c, double elapsed_s, bool previous,
                                                       lang::threshold_spec& limit) const {
    limit = c.spec;
    if (c.spec.watched) {
        if (!watch_) return std::nullopt;
        return measure_watched(c.spec, *watch_, previous ? c.previous_from_s : c.stage_from_s,
                               (previous ? c.previous_to_s : elapsed_s) + 1e-6);
    }
    const auto& f = previous ? c.previous_stage : c.stage;
    auto against = against_figures(c.spec, f);
    if (!against) return std::nullopt;
    limit = std::move(*against);
    return measure(c.spec, f);
}

std::optional<stop_request> condition_monitor::judge_stage(double elapsed_s, bool previous) const {
    for (const auto& c : conditions_) {
        if (!c.stop_condition) continue;
        lang::threshold_spec limit;
        const auto measured = measure_stage(c, elapsed_s, previous, limit);
        if (!measured || !lang::threshold_holds(limit, *measured)) continue;
        return stop_request{true, c.index, c.spec.text,
                            lang::format_measured(c.spec, *measured) +
                                (c.spec.watched ? " over the stage" : " over the stage's own requests"),
                            elapsed_s};
    }
    return std::nullopt;
}

const live_record* condition_monitor::threshold_record(std::size_t i) const {
    for (const auto& c : conditions_)
        if (!c.stop_condition && c.index == i) return &c.record;
    return nullptr;
}

std::string condition_monitor::span_text(const lang::threshold_spec& t) {
    return t.window ? "over " + seconds_text(*t.window) : std::string("over the run so far");
}

}  // namespace stampede::conditions
