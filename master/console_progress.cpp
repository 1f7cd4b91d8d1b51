#include "master/console_progress.hpp"

#include "master/result_model.hpp"
#include "report/console_reporter.hpp"

namespace stampede::master {

console_progress::console_progress(std::ostream& out, common::micros status_interval, int target_users,
                                   bool show_workers, std::size_t stage_count)
    : out_(out),
      status_interval_(status_interval),
      target_users_(target_users),
      show_workers_(show_workers),
      stage_count_(stage_count) {}

void console_progress::on_interval(const run_result& result, const cluster_status& status) {
    last_status_seen_ = status;
    const auto now = std::chrono::steady_clock::now();
    // Ticks come an exact interval apart: a tenth of a second's slack keeps every second tick.
    if (now - last_status_ + std::chrono::milliseconds(100) < status_interval_ || result.history.empty()) return;
    last_status_ = now;
    // A fixed shape shows "stage 2/5"; a search, which decides its steps as it goes, "step 4".
    const bool staged = stage_count_ != 1 && !result.stages.empty();
    out_ << report::status_line(result, result.history.back(), staged ? result.stages.back().users : target_users_);
    if (staged) out_ << " | " << result.stages.back().name;
    if (staged && stage_count_ > 1) out_ << "/" << stage_count_;
    if (show_workers_) out_ << " | workers " << status.workers_active;
    out_ << std::endl;
}

void console_progress::on_event(const run_result&, const run_event& event) {
    if (event.kind == event_kind::spawning_complete)
        out_ << "All users spawned: " << last_status_seen_.users << " user(s) on " << last_status_seen_.workers_active
             << " worker(s)\n";
    // The service's watch: a source that stops answering, or answers again, is news while it runs.
    if (event.kind == event_kind::watch_failed) out_ << "watch: " << event.detail << "\n";
    if (event.kind == event_kind::watch_recovered) out_ << "watch: " << event.detail << "\n";
}

void console_progress::on_stopping(const std::string& why) { out_ << "\n" << why << ": stopping the users\n"; }

}  // namespace stampede::master
