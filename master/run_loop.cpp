#include "master/run_loop.hpp"

#include <unistd.h>

#include <csignal>
#include <numeric>

namespace stampede::master {

namespace {

// After the first Ctrl-C the run stops gracefully; a second one means "now".
extern "C" void force_exit(int) {
    static const char message[] = "\nsecond interrupt: exiting without waiting\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(130);
}

}  // namespace

run_loop::run_loop(cluster& c, run_result& result, load_schedule schedule, common::micros interval,
                   std::optional<common::micros> run_time)
    : cluster_(c), result_(result), schedule_(std::move(schedule)), interval_(interval), run_time_(run_time),
      aggregator_(result), ticker_(io_), deadline_(io_), signals_(io_, SIGINT, SIGTERM) {}

void run_loop::run() {
    signals_.async_wait([this](auto ec, int signal) {
        if (ec) return;
        const std::string why = std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") + " received";
        for (auto* o : observers_) o->on_stopping(why);
        std::signal(SIGINT, force_exit);
        std::signal(SIGTERM, force_exit);
        result_.interrupted = true;
        io_.stop();
    });
    if (run_time_) {
        deadline_.expires_after(*run_time_);
        deadline_.async_wait([this](auto ec) { if (!ec) io_.stop(); });
    }
    if (auto target = schedule_.tick(common::micros(0))) apply(*target);
    schedule_tick();
    io_.run();
    users_ = cluster_.status().running_users;  // for the last interval, taken after the stop
}

void run_loop::take_last_interval() { aggregator_.add(cluster_.take_delta(), wall_clock::now(), users_); }

// A new target from the schedule starts a stage of the result.
void run_loop::apply(const load_target& target) {
    cluster_.start(target.users_per_class, target.spawn_rate);
    const double now = elapsed_s();
    if (!result_.stages.empty()) result_.stages.back().to_s = now;
    const int users = std::accumulate(target.users_per_class.begin(), target.users_per_class.end(), 0);
    result_.stages.push_back({"stage " + std::to_string(target.stage + 1), now, now, users, target.spawn_rate});
}

void run_loop::finish() {
    if (!result_.stages.empty()) result_.stages.back().to_s = result_.duration_s();
    for (auto* o : observers_) o->on_finish(result_);
}

void run_loop::emit(event_kind kind, const std::string& detail) {
    result_.events.push_back({wall_clock::now(), kind, detail});
    for (auto* o : observers_) o->on_event(result_, result_.events.back());
}

void run_loop::schedule_tick() {
    ticker_.expires_after(interval_);
    ticker_.async_wait([this](auto ec) {
        if (ec) return;
        if (!cluster_.health()) return io_.stop();  // no worker is left to run it
        tick();
        schedule_tick();
    });
}

void run_loop::tick() {
    const auto status = cluster_.status();
    users_ = status.running_users;
    aggregator_.add(cluster_.take_delta(), wall_clock::now(), users_);
    const auto since_start = std::chrono::duration_cast<common::micros>(wall_clock::now() - result_.start);
    if (auto target = schedule_.tick(since_start)) apply(*target);
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
