#include "master/worker_admission.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/utf8.hpp"
#include "proto/protocol.hpp"

namespace stampede::master {

namespace {

bool same_token(const std::string& given, const std::string& expected) {
    return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

common::status admissible(const wire::hello& hello, const std::string& peer, const admission_rules& rules) {
    const auto name = common::shortened_utf8(hello.name, max_name_bytes);
    if (hello.protocol_version != wire::protocol_version) {
        spdlog::warn("refused worker {} from {}: protocol version {} (this master speaks {})", name, peer,
                     hello.protocol_version, wire::protocol_version);
        return common::fail("protocol version " + std::to_string(hello.protocol_version) +
                            " is not supported: this master (stampede " STAMPEDE_VERSION ") speaks version " +
                            std::to_string(wire::protocol_version));
    }
    if (!rules.token.empty() && !same_token(hello.token, rules.token)) {
        spdlog::warn("refused worker {} from {}: {} token", name, peer, hello.token.empty() ? "no" : "wrong");
        return common::fail(hello.token.empty() ? "this master requires a token (--token or STAMPEDE_TOKEN)"
                                                : "wrong token");
    }
    if (rules.token.empty() && !hello.token.empty())
        spdlog::warn("worker {} from {} brought a token, but this master checks none (no --token): anyone who reaches "
                     "it may join; give the master the workers' --token",
                     name, peer);
    if (rules.run_ended) return common::fail("the run has ended");
    if (hello.stampede_version != STAMPEDE_VERSION)
        spdlog::warn("worker {} from {} runs stampede {}, this master {}: the protocol is the same, results may differ",
                     name, peer, common::shortened_utf8(hello.stampede_version, max_name_bytes), STAMPEDE_VERSION);
    if (hello.worker_id.empty() || hello.worker_id.size() > max_name_bytes)
        return common::fail("a worker id is 1 to " + std::to_string(max_name_bytes) + " bytes");
    return {};
}

void enter_hello(worker_entry& w, const wire::hello& hello, const liveness_config& liveness) {
    w.quiet_limit = quiet_limit_for(liveness, hello.master_timeout_ms);
    w.master_timeout = std::chrono::milliseconds(hello.master_timeout_ms);
    w.lost_after = lost_after_for(liveness, hello.master_timeout_ms);
    w.name = common::shortened_utf8(hello.name, max_name_bytes);
    w.machine = common::shortened_utf8(hello.machine, max_name_bytes);
    // Users are spread by threads: a worker announcing two billion would take them all.
    w.threads = static_cast<int>(std::clamp<std::uint32_t>(hello.threads, 1, max_worker_threads));
    if (hello.threads > max_worker_threads)
        spdlog::warn("worker {} announced {} threads: counted as {}, the most a worker may run", w.label(),
                     hello.threads, max_worker_threads);
}

}  // namespace stampede::master
