#include "stats/endpoint_stats.hpp"

namespace stampede::stats {

void endpoint_stats::merge(const endpoint_stats& other) {
    requests += other.requests;
    failures += other.failures;
    bytes += other.bytes;
    messages += other.messages;
    latency.merge(other.latency);
    if (!other.uncorrected.empty()) uncorrected.merge(other.uncorrected);
    if (!other.connect.empty()) connect.merge(other.connect);
    if (!other.tls_handshake.empty()) tls_handshake.merge(other.tls_handshake);
}

void endpoint_stats::reset() {
    requests = failures = bytes = messages = 0;
    latency.reset();
    uncorrected.reset();
    connect.reset();
    tls_handshake.reset();
}

}  // namespace stampede::stats
