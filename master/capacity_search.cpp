#include "master/capacity_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stampede::master {

namespace {

double seconds_of(common::micros d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

capacity_search::capacity_search(lang::capacity_search_spec spec, std::function<std::vector<int>(int)> split,
                                 std::vector<lang::check_info> checks, std::vector<std::string> classes,
                                 common::micros interval)
    : spec_(std::move(spec)), split_(std::move(split)), checks_(std::move(checks)), classes_(std::move(classes)),
      interval_(interval) {}

std::optional<load_level> capacity_search::tick(common::micros elapsed) {
    if (phase_ == phase::done) return std::nullopt;
    if (phase_ == phase::idle) {
        phase_ = phase::climbing;
        return begin_step(spec_.start, elapsed, "", "");
    }
    if (elapsed - step_started_ < step_length_) return std::nullopt;
    const auto v = judge_step();
    if (!v.met && phase_ != phase::confirming && (!bad_ || users_ < *bad_)) {
        // The lowest load that missed so far: what did not hold there.
        bad_ = users_;
        bad_condition_ = v.missed;
        bad_measured_ = v.measured;
        bad_at_s_ = seconds_of(elapsed);
    }
    switch (phase_) {
        case phase::climbing: return after_climb(v, elapsed);
        case phase::narrowing:
            if (v.met) {
                good_ = users_;
                good_rps_ = v.rps;
            }
            return after_narrowing(elapsed, v.met ? "met" : "missed");
        case phase::confirming:
            confirmed_ = v.met;
            if (v.met) good_rps_ = v.rps;  // the longer look at the found load
            return end(v.met ? "confirmed" : "not confirmed");
        default: return std::nullopt;
    }
}

std::optional<load_level> capacity_search::after_climb(const step_verdict& v, common::micros elapsed) {
    if (!v.met) {
        if (!good_) return end("missed");  // even the first load missed: nothing to narrow
        phase_ = phase::narrowing;
        return after_narrowing(elapsed, "missed");
    }
    good_ = users_;
    good_rps_ = v.rps;
    if (users_ >= spec_.max) return end("met");  // it held up to the most it may try
    return begin_step(next_climb(), elapsed, "met", "");
}

// Between the last load that met the conditions and the first that missed: the midpoint,
// until they are within the precision; then the found load, confirmed.
std::optional<load_level> capacity_search::after_narrowing(common::micros elapsed, std::string outcome) {
    if (*bad_ - *good_ > precision()) return begin_step(*good_ + (*bad_ - *good_) / 2, elapsed, std::move(outcome), "");
    if (spec_.confirm.count() <= 0) return end(std::move(outcome));
    phase_ = phase::confirming;
    return begin_step(*good_, elapsed, std::move(outcome), "confirm");
}

int capacity_search::next_climb() const {
    const long long next = spec_.add > 0 ? static_cast<long long>(users_) + spec_.add
                                         : std::max<long long>(users_ + 1, std::llround(users_ * spec_.multiply));
    return static_cast<int>(std::min<long long>(next, spec_.max));
}

int capacity_search::precision() const {
    if (spec_.precision > 0) return spec_.precision;
    return std::max(1, static_cast<int>(std::floor(good_.value_or(0) * 0.01)));
}

load_level capacity_search::begin_step(int users, common::micros elapsed, std::string previous_outcome,
                                        std::string name) {
    users_ = users;
    step_started_ = elapsed;
    step_length_ = name == "confirm" ? spec_.confirm : spec_.step;
    figures_.assign(spec_.conditions.size(), conditions::scope_figures{});
    judged_.reset();
    judged_seconds_ = 0;
    load_level t;
    t.users_per_class = split_(users);
    // Without a spawn rate, a step's users all start (or stop) within a second.
    t.spawn_rate = spec_.spawn_rate.value_or(std::max(1.0, static_cast<double>(users)));
    t.stage = steps_++;
    t.name = name.empty() ? "step " + std::to_string(steps_) : std::move(name);
    t.previous_outcome = std::move(previous_outcome);
    t.settle = spec_.settle;  // the step's row shows what was judged
    return t;
}

load_level capacity_search::end(std::string previous_outcome) {
    phase_ = phase::done;
    load_level t;
    t.stage = steps_;
    t.previous_outcome = std::move(previous_outcome);
    t.end = true;
    return t;
}

// An interval counts toward its step once the step has settled, and one interval later:
// a worker's counts reach the master up to an interval after it made them, so the interval
// after a change still holds the last load's. One that began earlier is left out whole.
void capacity_search::observe(const interval_counts& interval) {
    if (phase_ == phase::idle || phase_ == phase::done) return;
    const double began = interval.elapsed_s - interval.seconds;
    if (began + 0.05 < seconds_of(step_started_ + spec_.settle + interval_)) return;  // a tick's jitter allowed
    for (std::size_t i = 0; i < spec_.conditions.size(); ++i)
        figures_[i].merge(conditions::figures_of(spec_.conditions[i], interval.delta, {checks_, classes_}, interval.seconds,
                                     &interval.every_endpoint));
    judged_.merge(interval.every_endpoint);
    judged_seconds_ += interval.seconds;
}

// Every condition over the step's settled requests; nothing to measure misses, unless the
// condition says `no_data: pass`.
capacity_search::step_verdict capacity_search::judge_step() const {
    step_verdict v;
    v.met = true;
    v.rps = judged_seconds_ > 0 ? static_cast<double>(judged_.requests) / judged_seconds_ : 0;
    for (std::size_t i = 0; i < spec_.conditions.size(); ++i) {
        const auto& c = spec_.conditions[i];
        const auto measured = measure(c, figures_[i]);
        if (measured ? lang::threshold_holds(c, *measured) : c.no_data_passes) continue;
        v.met = false;
        const auto text = measured ? lang::format_measured(c, *measured) : std::string("no data");
        v.missed += (v.missed.empty() ? "" : ", ") + c.text;
        v.measured += (v.measured.empty() ? "" : ", ") + text;
    }
    return v;
}

std::optional<breaking_point> capacity_search::found() const {
    if (!good_ && !bad_) return std::nullopt;  // no step was judged
    breaking_point b;
    b.searched = true;
    b.search_complete = phase_ == phase::done;
    b.condition = bad_condition_;
    b.measured_text = bad_measured_;
    b.at_s = bad_at_s_;
    b.users = bad_;
    b.last_good_users = good_;
    if (good_) b.max_sustainable_rps = good_rps_;
    b.confirmed = confirmed_;
    return b;
}

}  // namespace stampede::master
