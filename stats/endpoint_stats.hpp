#pragma once
// What is counted for one endpoint (method + name) over some span of time.
#include <cstdint>
#include <string>

#include "stats/histogram.hpp"

namespace stampede::stats {

struct endpoint_stats {
    std::uint64_t requests = 0;  // all completed requests, failures included (as Locust counts)
    std::uint64_t failures = 0;
    std::uint64_t bytes = 0;     // response body bytes (a WebSocket step's: its messages' bytes)
    std::uint64_t messages = 0;  // WebSocket messages its steps sent or received
    histogram latency;           // microseconds, successes and failures alike
    // For endpoints that open-model users call: every request's latency from the moment it
    // was sent, beside `latency`, which measures an iteration's first request from its
    // intended start (the coordinated-omission correction). Empty for other endpoints.
    histogram uncorrected;
    // The phases of new connections, apart from the requests that made them (whose latency
    // includes them): the TCP connect, and for https:// the TLS handshake. One value per
    // connection made, none for a request on a kept-alive one.
    histogram connect;
    histogram tls_handshake;

    void record(std::uint64_t latency_us, std::uint64_t body_bytes, bool failed) {
        ++requests;
        failures += failed ? 1 : 0;
        bytes += body_bytes;
        latency.record(latency_us);
    }
    void merge(const endpoint_stats& other);
    void reset();
    // Nothing counted: no request, and no connection made (a connection's phases are counted
    // when it is made, which may be an interval before its request ends, or never if a stop
    // cuts the request off).
    bool empty() const { return requests == 0 && messages == 0 && connect.empty() && tls_handshake.empty(); }
};

}  // namespace stampede::stats
