#include "master/run_loop.hpp"

#include <csignal>

#include "master/finishing_signals.hpp"

namespace stampede::master {

run_loop::run_loop(boost::asio::io_context& io, cluster& c, run_result& result, std::unique_ptr<load_schedule> schedule,
                   common::micros interval, std::optional<common::micros> run_time, conditions::condition_monitor* monitor)
    : cluster_(c), result_(result), schedule_(std::move(schedule)), interval_(interval), run_time_(run_time),
      aggregator_(result), worker_timeline_(result), monitor_(monitor && !monitor->empty() ? monitor : nullptr),
      stages_(result, interval), io_(io), ticker_(io_), deadline_(io_), signals_(io_, SIGINT, SIGTERM) {}

void run_loop::run() {
    signals_.async_wait([this](auto ec, int signal) {
        if (ec) return;
        const std::string why = std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") + " received";
        for (auto* o : observers_) o->on_stopping(why);
        exit_on_next_signal();  // after the first Ctrl-C the run stops gracefully; a second means "now"
        result_.interrupted = true;
        io_.stop();
    });
    if (run_time_) {
        deadline_.expires_after(*run_time_);
        deadline_.async_wait([this](auto ec) { if (!ec) io_.stop(); });
    }
    if (watch_) {
        watch_->start();
        result_.watch.first_at_s = std::chrono::duration<double>(watch_->first_moment() - result_.start).count();
    }
    if (auto target = schedule_->tick(common::micros(0))) apply(*target);
    schedule_tick();
    running_ = true;
    io_.restart();
    io_.run();
    running_ = false;
    // The loop's own waits end here; the rest on the io_context (a web server) runs on.
    ticker_.cancel();
    deadline_.cancel();
    signals_.cancel();
    users_ = cluster_.status().running_users;  // for the last interval, taken after the stop
}

void run_loop::replan(std::optional<common::micros> run_time, conditions::condition_monitor* monitor) {
    run_time_ = run_time;
    monitor_ = monitor && !monitor->empty() ? monitor : nullptr;
    aggregator_.reshape();
}

void run_loop::reset_statistics() {
    aggregator_.reset();
    emit(event_kind::statistics_reset, "statistics reset from the web API");
}

void run_loop::request_stop(const std::string& why) {
    if (!running_ || !stopped_by_.empty()) return;
    stopped_by_ = why;
    for (auto* o : observers_) o->on_stopping(why);
    result_.interrupted = true;
    io_.stop();
}

void run_loop::watch_service(service_watch& watch) {
    watch_ = &watch;
    auto& record = result_.watch;
    record.interval_s = std::chrono::duration<double>(watch.interval()).count();
    record.series.clear();
    for (const auto& s : watch.series()) record.series.push_back({s.info.name, s.info.unit, s.source, {}});
}

// What the watch read since the last interval joins the result; a source that began failing or
// answers again is an event.
void run_loop::take_watch() {
    if (!watch_) return;
    auto taken = watch_->take();
    for (const auto& r : taken.readings) result_.watch.put(r.first_series, r.tick, r.values);
    for (const auto& c : taken.changes)
        emit(c.failed ? event_kind::watch_failed : event_kind::watch_recovered, c.detail, c.at);
}

void run_loop::take_last_interval() {
    // Not a stage's: it holds what came in while the users stopped (and the snapshots still on
    // their way when they did), over a span far shorter than the time those requests took.
    auto taken = cluster_.take_interval(result_.end);
    place_late(taken.late);
    aggregator_.add(taken.delta, result_.end, users_);  // the users stopped then
    worker_timeline_.add(cluster_.status().workers);
    if (watch_) watch_->stop();
    take_watch();
}

void run_loop::add_to_stage() {
    const double seconds = aggregator_.latest_interval_seconds();
    stages_.add(aggregator_.latest_interval(), seconds, elapsed_s() - seconds);
}

// A new target from the schedule starts a stage of the result; a schedule that is done ends
// the run.
void run_loop::apply(const load_level& target) {
    if (!result_.stages.empty() && !target.previous_outcome.empty()) result_.stages.back().outcome = target.previous_outcome;
    if (target.end) {
        schedule_done_ = true;
        for (auto* o : observers_) o->on_stopping("the capacity search is done");
        io_.stop();
        return;
    }
    const double now = elapsed_s();
    if (monitor_ && !result_.stages.empty()) {
        // The stage that ends is judged on its own requests before the next one starts.
        if (auto broke = monitor_->judge_stage(now)) {
            emit(event_kind::stop_condition_met, broke->condition + ": " + broke->measured_text);
            return stop_early(*broke);
        }
    }
    if (monitor_) monitor_->begin_stage();
    cluster_.start(target.users_per_class, target.spawn_rate);
    stages_.begin(target, now);
}

void run_loop::finish() {
    stages_.close(result_.duration_s());
    if (auto found = schedule_->found()) result_.breaking = std::move(found);
    stages_.find_last_good();  // the stages' figures are final now
    for (auto* o : observers_) o->on_finish(result_);
}

// Counts that came in after their rows were made (a worker's resend after it was cut off) go
// where they belong: the row, the worker's series, the stage and the live windows that hold it.
void run_loop::place_late(const std::vector<late_counts>& late) {
    for (const auto& l : late) {
        const auto row = aggregator_.place_late(l.delta, l.covered_until, interval_ / 5);
        if (!row) continue;
        const auto merged = l.delta.merged_endpoints();
        worker_timeline_.place_late(l.worker_id, *row, merged.requests);
        const double began_s = *row > 0 ? result_.history[*row - 1].elapsed_s : 0.0;
        stages_.place_late(merged, began_s);
        if (monitor_) monitor_->place_late(l.delta, merged, result_.history.size() - 1 - *row);
    }
}

// The live conditions judge the interval; true when they stopped the run.
bool run_loop::judge(const stats::stats_delta& delta,
                     const std::optional<std::pair<wall_clock::time_point, wall_clock::time_point>>& in_flight) {
    if (!monitor_) return false;
    std::optional<conditions::condition_monitor::span_s> in_flight_s;
    if (in_flight) {
        const auto since_start = [this](wall_clock::time_point t) {
            return std::chrono::duration<double>(t - result_.start).count();
        };
        in_flight_s.emplace(since_start(in_flight->first), since_start(in_flight->second));
    }
    auto out = monitor_->add(delta, aggregator_.latest_interval(), aggregator_.latest_interval_seconds(), elapsed_s(),
                             result_, in_flight_s);
    for (const auto& [kind, detail] : out.events) emit(kind, detail);
    if (!out.stop) return false;
    stop_early(*out.stop);
    return true;
}

// A stop condition held (the shape broke here), or an aborting threshold failed.
void run_loop::stop_early(const conditions::stop_request& stop) {
    result_.stopped_early = early_stop{stop.stop_condition, stop.condition, stop.measured_text, stop.at_s};
    if (stop.stop_condition && !result_.stages.empty()) {
        // A window that held just after a stage changed mostly saw the stage before: if that
        // stage's own requests broke the condition, the break is its.
        auto broke = result_.stages.end() - 1;
        if (result_.stages.size() > 1 && monitor_ && monitor_->judge_stage(stop.at_s, true)) {
            broke->outcome = "after the break";
            --broke;
        }
        broke->outcome = "broke";
        result_.breaking = breaking_point{stop.condition, stop.measured_text, stop.at_s, broke->users,
                                          std::nullopt, std::nullopt};
    }
    const auto why = (stop.stop_condition ? "stop condition '" : "threshold '") + stop.condition + "' " +
                     (stop.stop_condition ? "held: " : "failed: ") + stop.measured_text;
    for (auto* o : observers_) o->on_stopping(why);
    io_.stop();
}

void run_loop::emit(event_kind kind, const std::string& detail, wall_clock::time_point at) {
    result_.events.push_back({at, kind, detail});
    for (auto* o : observers_) o->on_event(result_, result_.events.back());
}

// Ticks fall four tenths of an interval after the wall clock's interval boundaries: workers
// send each interval's snapshot at a boundary, each within the first tenth of the interval
// after it, so every interval the loop takes holds one snapshot of each worker, and
// per-interval figures (history, windows, stages) do not jump by a worker's whole interval
// when a snapshot lands just before or just after a tick.
common::micros run_loop::until_next_tick() const {
    if (interval_.count() <= 0) return std::chrono::seconds(1);
    const auto since_epoch = std::chrono::duration_cast<common::micros>(wall_clock::now().time_since_epoch());
    auto wait = interval_ - since_epoch % interval_ + interval_ * 4 / 10;
    if (wait > interval_) wait -= interval_;
    // Not two ticks almost at once, and not a first interval of next to nothing.
    if (wait < (result_.history.empty() ? interval_ / 2 : interval_ / 10)) wait += interval_;
    return wait;
}

// Where a tick's counts end: when the workers say they took their snapshots, if that is near the
// interval boundary they were due at (a worker's clock may be off); else that boundary.
wall_clock::time_point run_loop::covered_until(std::optional<wall_clock::time_point> said) const {
    const auto now = wall_clock::now();
    const auto boundary = last_boundary(now);
    if (said && *said <= now && *said >= boundary - interval_ / 2) return *said;
    return boundary;
}

// The interval boundary a tick's snapshots were taken at: workers take theirs at each boundary
// (within its first tenth) and the tick comes after, so what it merges covers the time up to the
// boundary, not up to the tick.
wall_clock::time_point run_loop::last_boundary(wall_clock::time_point now) const {
    if (interval_.count() <= 0) return now;
    const auto since_epoch = std::chrono::duration_cast<common::micros>(now.time_since_epoch());
    return wall_clock::time_point(std::chrono::duration_cast<wall_clock::duration>(since_epoch - since_epoch % interval_));
}

void run_loop::schedule_tick() {
    ticker_.expires_after(until_next_tick());
    ticker_.async_wait([this](auto ec) {
        if (ec) return;
        if (!cluster_.health()) return io_.stop();  // no worker is left to run it
        tick();
        schedule_tick();
    });
}

void run_loop::tick() {
    result_.end = wall_clock::now();  // the result so far ends now: its rates read right while it runs
    const auto status = cluster_.status();
    users_ = status.running_users;
    auto taken = cluster_.take_interval(last_boundary(wall_clock::now()));
    const auto& delta = taken.delta;
    const auto covered = covered_until(taken.covered_until);
    cluster_.close_interval(covered);
    place_late(taken.late);
    aggregator_.add(delta, covered, users_);
    worker_timeline_.add(status.workers);
    add_to_stage();
    take_watch();
    const bool stopped = judge(delta, taken.in_flight);
    const auto since_start = std::chrono::duration_cast<common::micros>(wall_clock::now() - result_.start);
    if (!stopped) {
        schedule_->observe({delta, aggregator_.latest_interval(), aggregator_.latest_interval_seconds(), elapsed_s()});
        if (auto target = schedule_->tick(since_start)) apply(*target);
    }
    for (auto* o : observers_) o->on_interval(result_, status);
    if (!announced_spawned_ && status.users > 0 && status.running_users == status.users) {
        announced_spawned_ = true;
        emit(event_kind::spawning_complete, std::to_string(status.users) + " users");
    }
}

double run_loop::elapsed_s() const {
    return std::chrono::duration<double>(wall_clock::now() - result_.start).count();
}

}  // namespace stampede::master
