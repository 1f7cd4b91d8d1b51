// The master's watch on its threads: each source read before the first moment and then at each
// moment of the wall clock's interval, its readings taken by the run loop in order; a source that
// fails is one change when it fails and one when it answers again; stopping does not wait for
// another moment.
#include "master/service_watch.hpp"

#include <catch2/catch.hpp>
#include <atomic>
#include <thread>

using namespace stampede;
using namespace std::chrono_literals;

namespace {

// Reads a count of its reads; fails the reads `fail_from` to `fail_to` (counted from 1).
class counting_source final : public watch::watched_source {
public:
    counting_source(bool network, int fail_from, int fail_to) : network_(network), fail_from_(fail_from), fail_to_(fail_to) {}
    const std::string& label() const override { return label_; }
    const std::vector<watch::series_info>& series() const override { return info_; }
    bool may_wait() const override { return network_; }
    watch::source_reading read(std::chrono::steady_clock::time_point) override {
        const int n = ++reads_;
        watch::source_reading r;
        r.values.resize(1);
        if (n >= fail_from_ && n <= fail_to_) r.failure = "refused";
        else r.values[0] = n;
        return r;
    }

private:
    std::string label_ = "counting";
    std::vector<watch::series_info> info_{{"reads", ""}};
    bool network_;
    int fail_from_, fail_to_;
    std::atomic<int> reads_{0};
};

}  // namespace

TEST_CASE("the watch reads each source at every moment, and a failure is one change each way", "[watch]") {
    std::vector<std::unique_ptr<watch::watched_source>> sources;
    sources.push_back(std::make_unique<counting_source>(true, 3, 4));
    sources.push_back(std::make_unique<counting_source>(false, 0, 0));
    master::service_watch w(std::move(sources), 100ms);
    REQUIRE(w.series().size() == 2);
    CHECK(w.series()[0].source == "counting");
    const auto start = std::chrono::system_clock::now();
    w.start(start);
    CHECK(w.first_moment() > start);
    CHECK(w.first_moment() - start <= 100ms);
    std::this_thread::sleep_for(700ms);
    w.stop();
    const auto taken = w.take();
    std::size_t of_first = 0;
    for (const auto& r : taken.readings) {
        if (r.first_series != 0) continue;
        ++of_first;
        // Read 1 was before the first moment: tick t is read t + 2, failed for reads 3 and 4.
        if (r.tick == 1 || r.tick == 2) CHECK_FALSE(r.values[0]);
        else CHECK(r.values[0] == static_cast<double>(r.tick + 2));
    }
    CHECK(of_first >= 5);
    REQUIRE(taken.changes.size() == 2);
    CHECK(taken.changes[0].failed);
    CHECK(taken.changes[0].detail == "counting: refused");
    CHECK_FALSE(taken.changes[1].failed);
    CHECK(w.take().readings.empty());
}

TEST_CASE("stopping the watch does not wait for its next moment", "[watch]") {
    std::vector<std::unique_ptr<watch::watched_source>> sources;
    sources.push_back(std::make_unique<counting_source>(false, 0, 0));
    master::service_watch w(std::move(sources), std::chrono::seconds(60));
    w.start();
    const auto before = std::chrono::steady_clock::now();
    w.stop();
    CHECK(std::chrono::steady_clock::now() - before < 1s);
}
