#pragma once
// The service read beside the load (a scenario's `watch:`), on threads of the watch's own so that
// a slow endpoint never holds up the run loop: each source whose read may wait (a Prometheus
// endpoint, a container asked of its runtime) on one, every process and cgroup together on another. Each reads its sources once as it starts (so the first moment's
// rates have a start) and then at every moment of the watch: the wall clock's multiples of its
// interval, the same boundaries the workers' snapshots end on. The run loop takes what was read
// each interval. A source that fails is an event when it starts failing and when it answers
// again, and a gap in its series between; never a failed run, never a wait past its timeout.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/duration.hpp"
#include "watch/watched_source.hpp"

namespace stampede::master {

class service_watch {
public:
    using wall_clock = std::chrono::system_clock;

    // One source's reading at one moment: its values, for the watch's series from `first_series` on.
    struct reading {
        std::size_t first_series = 0;
        std::size_t tick = 0;  // the moment, counted from the first
        std::vector<std::optional<double>> values;
    };
    // A source began failing, or answered again.
    struct change {
        wall_clock::time_point at;
        bool failed = false;
        std::string detail;
    };
    struct taken {
        std::vector<reading> readings;
        std::vector<change> changes;
    };

    service_watch(std::vector<std::unique_ptr<watch::watched_source>> sources, common::micros interval);
    ~service_watch();
    service_watch(const service_watch&) = delete;
    service_watch& operator=(const service_watch&) = delete;

    // Every series, in order: each source's, the sources in the order given.
    struct series_entry {
        watch::series_info info;
        std::string source;
    };
    const std::vector<series_entry>& series() const { return series_; }
    common::micros interval() const { return interval_; }

    // Starts reading; the first moment is the first boundary after `now`.
    void start(wall_clock::time_point now = wall_clock::now());
    wall_clock::time_point first_moment() const { return first_moment_; }
    // What was read since the last take.
    taken take();
    // Stops reading; a read in progress ends within its timeout.
    void stop();

private:
    void read_loop(std::vector<std::size_t> sources);
    void read_once(std::size_t source, std::optional<std::size_t> tick);
    bool sleep_until(wall_clock::time_point at);

    std::vector<std::unique_ptr<watch::watched_source>> sources_;
    std::vector<std::size_t> first_series_;  // per source
    std::vector<series_entry> series_;
    common::micros interval_;
    wall_clock::time_point first_moment_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<bool> failing_;  // per source: its last read failed
    taken pending_;
    std::vector<std::thread> threads_;
};

}  // namespace stampede::master
