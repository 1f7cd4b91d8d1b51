#include "master/stage_recorder.hpp"

#include <limits>

#include <numeric>

namespace stampede::master {

void stage_recorder::begin(const load_level& target, double at_s) {
    if (!result_.stages.empty()) close(at_s);
    stage_record stage;
    stage.name = target.name.empty() ? "stage " + std::to_string(target.stage + 1) : target.name;
    stage.from_s = stage.to_s = at_s;
    stage.users = std::accumulate(target.users_per_class.begin(), target.users_per_class.end(), 0);
    stage.spawn_rate = target.spawn_rate;
    result_.stages.push_back(std::move(stage));
    // The first stage starts with the run: nothing late can reach it.
    const auto skipped = result_.stages.size() == 1 ? target.settle : target.settle + interval_;
    settled_at_s_ = at_s + std::chrono::duration<double>(skipped).count();
}

// Stages begin on the run loop's ticks, so the intervals divide them exactly; the intervals
// that began before a stage had settled are left out whole (give or take a tick's jitter).
void stage_recorder::add(const stats::endpoint_stats& interval, double seconds, double began_s) {
    if (result_.stages.empty() || began_s + 0.05 < settled_at_s_) return;
    requests_.merge(interval);
    seconds_ += seconds;
}

void stage_recorder::place_late(const stats::endpoint_stats& requests, double began_s) {
    if (result_.stages.empty()) return;
    if (began_s + 0.05 >= result_.stages.back().from_s) {
        // The open stage: its figures are made when it closes (from its settled intervals, as add).
        if (began_s + 0.05 >= settled_at_s_) requests_.merge(requests);
        return;
    }
    for (auto it = result_.stages.rbegin() + 1; it != result_.stages.rend(); ++it) {
        if (began_s + 0.05 < it->from_s) continue;
        const double seconds = it->rps > 0 ? static_cast<double>(it->requests) / it->rps : it->to_s - it->from_s;
        it->requests += requests.requests;
        it->failures += requests.failures;
        if (seconds > 0) it->rps = static_cast<double>(it->requests) / seconds;
        return;
    }
}

void stage_recorder::close(double at_s) {
    if (result_.stages.empty()) return;
    auto& stage = result_.stages.back();
    stage.to_s = at_s;
    const auto& h = requests_.latency;
    stage.requests = requests_.requests;
    stage.failures = requests_.failures;
    stage.rps = seconds_ > 0 ? static_cast<double>(stage.requests) / seconds_ : 0;
    stage.p50_ms = report::to_ms(h.percentile(50));
    stage.p95_ms = report::to_ms(h.percentile(95));
    stage.p99_ms = report::to_ms(h.percentile(99));
    stage.avg_ms = h.mean() / 1000.0;
    if (stage.outcome.empty() && !result_.load.stop_when.empty()) stage.outcome = "held";
    stage.service.clear();
    for (std::size_t i = 0; i < result_.watch.series.size(); ++i) {
        // Readings have no late counts to leave out: the stage's whole span.
        const auto f = result_.watch.figures(i, stage.from_s, at_s + 1e-6);
        stage.service.push_back(f.readings ? static_cast<float>(f.avg) : std::numeric_limits<float>::quiet_NaN());
    }
    requests_.reset();
    seconds_ = 0;
}

void stage_recorder::find_last_good() {
    auto& b = result_.breaking;
    if (!b || b->searched) return;  // a search states its own
    for (auto it = result_.stages.rbegin(); it != result_.stages.rend(); ++it) {
        if (it->outcome != "held" || it->users >= b->users.value_or(0) || it->from_s >= b->at_s) continue;
        b->last_good_users = it->users;
        b->max_sustainable_rps = it->rps;
        return;
    }
}

}  // namespace stampede::master
