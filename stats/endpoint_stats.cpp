#include "stats/endpoint_stats.hpp"

namespace stampede::stats {

void endpoint_stats::merge(const endpoint_stats& other) {
    requests += other.requests;
    failures += other.failures;
    bytes += other.bytes;
    latency.merge(other.latency);
    if (!other.uncorrected.empty()) uncorrected.merge(other.uncorrected);
}

void endpoint_stats::reset() {
    requests = failures = bytes = 0;
    latency.reset();
    uncorrected.reset();
}

}  // namespace stampede::stats
