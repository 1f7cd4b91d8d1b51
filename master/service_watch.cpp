#include "master/service_watch.hpp"

#include <utility>

namespace stampede::master {

service_watch::service_watch(std::vector<std::unique_ptr<watch::watched_source>> sources, common::micros interval)
    : sources_(std::move(sources)), interval_(interval.count() > 0 ? interval : std::chrono::seconds(1)),
      failing_(sources_.size(), false) {
    for (const auto& s : sources_) {
        first_series_.push_back(series_.size());
        for (const auto& info : s->series()) series_.push_back({info, s->label()});
    }
}

service_watch::~service_watch() { stop(); }

void service_watch::start(wall_clock::time_point now) {
    const auto step = std::chrono::duration_cast<wall_clock::duration>(interval_);
    const auto since_epoch = now.time_since_epoch();
    first_moment_ = wall_clock::time_point((since_epoch / step + 1) * step);
    std::vector<std::size_t> local;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        if (sources_[i]->may_wait()) threads_.emplace_back([this, i] { read_loop({i}); });
        else local.push_back(i);
    }
    if (!local.empty()) threads_.emplace_back([this, local = std::move(local)] { read_loop(local); });
}

void service_watch::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
}

service_watch::taken service_watch::take() {
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, {});
}

bool service_watch::sleep_until(wall_clock::time_point at) {
    std::unique_lock lock(mutex_);
    return !wake_.wait_until(lock, at, [this] { return stopping_; });
}

// A read before the first moment, then one at each moment; a read that outlasts moments skips
// them (their gaps are the record's).
void service_watch::read_loop(std::vector<std::size_t> sources) {
    for (const auto s : sources) read_once(s, std::nullopt);
    for (std::size_t tick = 0;;) {
        if (!sleep_until(first_moment_ + tick * interval_)) return;
        for (const auto s : sources) read_once(s, tick);
        const auto behind = wall_clock::now() - first_moment_;
        tick = std::max<std::size_t>(tick + 1, static_cast<std::size_t>(behind / interval_) + 1);
    }
}

void service_watch::read_once(std::size_t source, std::optional<std::size_t> tick) {
    auto got = sources_[source]->read(std::chrono::steady_clock::now());
    std::lock_guard lock(mutex_);
    const bool failed = got.failure.has_value();
    if (failed != failing_[source] || (failed && !tick)) {
        pending_.changes.push_back({wall_clock::now(), failed,
                                    failed ? sources_[source]->label() + ": " + *got.failure
                                           : sources_[source]->label() + " answers again"});
    }
    for (const auto& note : got.notes)
        pending_.changes.push_back({wall_clock::now(), true, sources_[source]->label() + ": " + note});
    failing_[source] = failed;
    if (tick) pending_.readings.push_back({first_series_[source], *tick, std::move(got.values)});
}

}  // namespace stampede::master
