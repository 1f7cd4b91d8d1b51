#include "worker/connection_opener.hpp"

#include <string>

#include "common/duration.hpp"

namespace stampede::worker::opening {

using stats::error_kind;

// A wait that ended because the user is being cut off, or because the step's deadline passed:
// its outcome (a timeout counted, named for `phase`); nothing for any other reason.
std::optional<exchange_outcome> interrupted(io_thread& thread, const prepared_step& step, const open_watch& watch,
                                            const error_code& ec, std::string_view phase) {
    if (watch.cancelled(ec)) return exchange_outcome::cancelled;
    if (!watch.timed_out(ec)) return std::nullopt;
    count_failure(thread, step.spec->endpoint_id, error_kind::timeout, 0,
                  std::string(phase) + " timed out after " + common::format_duration(step.timeout));
    return exchange_outcome::failed;
}

exchange_outcome connect_failed(io_thread& thread, const prepared_step& step, const open_watch& watch,
                                const error_code& ec) {
    if (auto outcome = interrupted(thread, step, watch, ec, "connect")) return *outcome;
    count_failure(thread, step.spec->endpoint_id, error_kind::connect, ec.value(), "connect: " + ec.message());
    return exchange_outcome::failed;
}

// Counted as a TLS error with OpenSSL's reason (the certificate's verification result when it
// was that); the session that failed is not offered again.
exchange_outcome handshake_failed(io_thread& thread, const prepared_step& step, const open_watch& watch,
                                  const error_code& ec, SSL* ssl, tls_session_slot& session) {
    if (auto outcome = interrupted(thread, step, watch, ec, "TLS handshake")) return *outcome;
    count_failure(thread, step.spec->endpoint_id, error_kind::tls, tls_failure_code(ssl, ec),
                  "TLS handshake: " + tls_failure_reason(ssl, ec));
    session.session.reset();
    return exchange_outcome::failed;
}

// The shard is looked up after each wait, never held across one: a snapshot swaps it for its
// spare meanwhile, and a reference taken before would record into the spare the agent reads.
void record_phase(io_thread& thread, const prepared_step& step, bool handshake, std::chrono::steady_clock::time_point began) {
    auto& phases = thread.shard.endpoints[step.spec->endpoint_id];
    (handshake ? phases.tls_handshake : phases.connect).record(common::micros_since(began));
}

}  // namespace stampede::worker::opening
