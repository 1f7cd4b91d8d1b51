// stampede-demo-target: flags to configuration, then serve until a signal.
#include <CLI/CLI.hpp>
#include <iostream>
#include <tuple>

#include "common/byte_size.hpp"
#include "common/duration.hpp"
#include "demo_target/demo_routes.hpp"
#include "demo_target/demo_server.hpp"

namespace {

using namespace stampede::demo;

using stampede::common::fail;
using stampede::common::status;

// "ROUTE=VALUE" where ROUTE is a route name or "all"; applies `set` to the routes named.
template <typename Set>
status apply_per_route(const std::string& flag, const std::string& item, Set set) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) return fail(flag + ": expected ROUTE=VALUE, got '" + item + "'");
    const auto name = item.substr(0, eq);
    const auto value = item.substr(eq + 1);
    if (name == "all") {
        for (std::size_t i = 0; i < route_count; ++i)
            if (status done = set(static_cast<route>(i), value); !done) return fail(flag + ": " + done.error());
        return {};
    }
    auto r = route_from_name(name);
    if (!r) return fail(flag + ": unknown route '" + name + "' (state, workflow, jsonrpc, training, health, ok, events, chat, all)");
    if (status done = set(*r, value); !done) return fail(flag + ": " + done.error());
    return {};
}

// Every ROUTE=VALUE of a repeated flag: `parse` reads VALUE, stored per route in `table`.
template <typename Parse, typename Table>
status set_per_route(const std::string& flag, const std::vector<std::string>& items, Parse parse, Table& table) {
    for (const auto& item : items) {
        auto applied = apply_per_route(flag, item, [&](route r, const std::string& v) -> status {
            auto value = parse(v);
            if (!value) return value.why();
            table[static_cast<std::size_t>(r)] = *value;
            return {};
        });
        if (!applied) return applied;
    }
    return {};
}

// The command line as given, before its values are read.
struct demo_flags {
    std::string host = "127.0.0.1";
    std::vector<std::uint16_t> ports, tls_ports;
    tls_files tls;
    int threads = 1;
    std::vector<std::string> latencies, error_rates, stalls;
    demo_config config;
    connection_policy policy;
    std::string idle_timeout = "60s", overload_latency = "200ms", ws_delay = "0s", ws_interval = "0s";
    std::string leak, leak_limit = "1GiB";
    std::string ttft = "20ms", token_delay = "1ms";
};

void declare_flags(CLI::App& app, demo_flags& f) {
    app.add_option("--host", f.host, "Address to listen on (default 127.0.0.1)");
    app.add_option("--port", f.ports, "Port to listen on; 0 picks a free one; repeat for more (default 8080)")
        ->expected(1)->take_all();
    app.add_option("--tls-port", f.tls_ports, "Port to serve HTTPS on (needs --tls-cert and --tls-key); repeatable")
        ->expected(1)->take_all();
    app.add_option("--tls-cert", f.tls.certificate, "Certificate chain (PEM) for the --tls-port listeners");
    app.add_option("--tls-key", f.tls.key, "Private key (PEM) of --tls-cert");
    app.add_option("--tls-client-ca", f.tls.client_ca, "Require client certificates signed by this CA (PEM): mutual TLS");
    app.add_option("--threads", f.threads, "Server threads (default 1)")->check(CLI::Range(1, 256));
    app.add_option("--api-key", f.config.api_key, "Require this key in X-API-Key or 'Authorization: Bearer'");
    app.add_option("--latency", f.latencies, "ROUTE=SPEC, SPEC a duration (20ms) or lognormal:MEDIAN[:SIGMA]")->take_all();
    app.add_option("--error-rate", f.error_rates, "ROUTE=FRACTION of requests answered 500")->take_all();
    app.add_option("--stall", f.stalls, "ROUTE=EVERY:LENGTH: hold ROUTE's requests for LENGTH out of every EVERY (3s:1s)")
        ->take_all();
    app.add_option("--seed", f.config.seed, "Seed for latency and error draws");
    app.add_option("--max-requests-per-connection", f.policy.max_requests,
                   "Answer 'Connection: close' after this many requests on a connection (default 0: never)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--capacity", f.config.capacity,
                   "With more than N requests in flight, each new one waits --overload-latency more (default 0: no limit)")
        ->check(CLI::Range(0, 10'000'000));
    app.add_option("--overload-latency", f.overload_latency, "The wait past --capacity (default 200ms)");
    app.add_option("--ws-delay", f.ws_delay, "WebSocket chat (/ws/chat): wait before an echo or a streamed reply (default 0s)");
    app.add_option("--ws-stream-interval", f.ws_interval, "WebSocket chat: wait between streamed messages (default 0s)");
    app.add_option("--idle-timeout", f.idle_timeout, "Close a connection idle for this long, without notice (default 60s)");
    app.add_option("--cache-hit-ratio", f.config.cache_hit_ratio,
                   "GET /metrics: the share of the simulated cache's lookups (one per request) that hit (default 0.8)")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--leak", f.leak, "Keep this much memory a second and never free it, as SIZE/s (1MiB/s): a leak to catch");
    app.add_option("--leak-limit", f.leak_limit, "Stop leaking past this much (default 1GiB)");
    app.add_option("--ttft", f.ttft, "POST /v1/chat/completions: time to the first token (default 20ms)");
    app.add_option("--token-delay", f.token_delay, "... and between tokens (default 1ms)");
    app.add_option("--token-jitter", f.config.completions.jitter,
                   "... each delay drawn log-normally about its value with this sigma (default 0: fixed)")
        ->check(CLI::Range(0.0, 3.0));
    app.add_option("--output-tokens", f.config.completions.output_tokens, "... tokens in an answer, unless max_tokens asks fewer (default 16)")
        ->check(CLI::Range(0, 100000));
    app.add_option("--cut-rate", f.config.completions.cut_rate, "... the share of streams cut mid-answer (default 0)")
        ->check(CLI::Range(0.0, 1.0));
}

// "SIZE/s" as --leak takes it, and its limit.
stampede::common::status read_leak(demo_flags& f) {
    auto limit = stampede::common::parse_byte_size(f.leak_limit);
    if (!limit) return fail("--leak-limit: " + limit.error());
    f.config.leak_limit = *limit;
    if (f.leak.empty()) return {};
    if (!f.leak.ends_with("/s")) return fail("--leak: a size a second, as 1MiB/s, not '" + f.leak + "'");
    auto rate = stampede::common::parse_byte_size(f.leak.substr(0, f.leak.size() - 2));
    if (!rate || *rate == 0 || *rate > (std::uint64_t{1} << 30))
        return fail("--leak: a size a second from 1 byte to 1GiB, as 1MiB/s, not '" + f.leak + "'");
    f.config.leak_per_second = *rate;
    return {};
}

stampede::common::result<double> rate_of(const std::string& v) {
    char* end = nullptr;
    const double rate = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || rate < 0 || rate > 1) return fail("rate must be between 0 and 1");
    return rate;
}

// The durations and per-route settings read into the service's configuration and the policy.
stampede::common::status read_values(demo_flags& f) {
    for (auto applied : {set_per_route("--latency", f.latencies, parse_latency, f.config.latency),
                         set_per_route("--error-rate", f.error_rates, rate_of, f.config.error_rate),
                         set_per_route("--stall", f.stalls, parse_stall, f.config.stall)})
        if (!applied) return applied;
    auto overload = stampede::common::parse_duration(f.overload_latency);
    if (!overload) return fail("--overload-latency: " + overload.error());
    f.config.overload_latency = *overload;
    for (auto [flag, text, into] : {std::tuple{"--ws-delay", &f.ws_delay, &f.config.ws_delay},
                                    std::tuple{"--ws-stream-interval", &f.ws_interval, &f.config.ws_stream_interval},
                                    std::tuple{"--ttft", &f.ttft, &f.config.completions.ttft},
                                    std::tuple{"--token-delay", &f.token_delay, &f.config.completions.token_delay}}) {
        auto d = stampede::common::parse_duration(*text);
        if (!d || d->count() < 0 || *d > std::chrono::minutes(1))
            return fail(std::string(flag) + ": a duration up to 1m, not '" + *text + "'");
        *into = *d;
    }
    if (auto leak = read_leak(f); !leak) return leak;
    auto idle = stampede::common::parse_duration(f.idle_timeout);
    if (!idle || idle->count() <= 0) return fail("--idle-timeout: invalid duration '" + f.idle_timeout + "'");
    f.policy.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*idle);
    return {};
}

// The ports to listen on, plain ones first ("listening on" lines in that order), and TLS's files.
stampede::common::result<std::vector<listen_port>> listeners(demo_flags& f) {
    const auto& tls = f.tls;
    if (tls.certificate.empty() != tls.key.empty()) return fail("--tls-cert and --tls-key go together");
    if (!tls.certificate.empty() && f.tls_ports.empty()) return fail("--tls-cert: no --tls-port to serve it on");
    if (!tls.client_ca.empty() && tls.certificate.empty()) return fail("--tls-client-ca needs --tls-cert");
    if (f.ports.empty() && f.tls_ports.empty()) f.ports.push_back(8080);
    std::vector<listen_port> listening;
    for (auto p : f.ports) listening.push_back({p, false});
    for (auto p : f.tls_ports) listening.push_back({p, true});
    if (listening.size() > 1000) return fail("--port, --tls-port: at most 1000 ports");
    return listening;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"stampede-demo-target: a stand-in for the AI-agent services Stampede tests.\n"
                 "Routes: /v1/opscore/agent/{id}/state (GET, POST), /v1/opscore/agent/{id}/workflow (POST),\n"
                 "/api/v1/jsonrpc (modular.solve), /api/v1/training/jobs[/{id}[/export|/cancel]],\n"
                 "/api/v1/events[?topic=T | /{id}/ack] (an event bus), /api/v1/orchestrator/chat,\n"
                 "/v1/chat/completions (OpenAI-compatible, streamed as Server-Sent Events: --ttft, --token-delay),\n"
                 "/ws/chat (WebSocket: echo, streamed replies, rooms),\n"
                 "/health, /api/v1/health, /ok, /__stats (what was served, as JSON) and /metrics (the same\n"
                 "and more, in Prometheus's text format: requests, in flight, response times, a simulated\n"
                 "cache, resident memory, CPU, and what --leak kept)."};
    demo_flags f;
    declare_flags(app, f);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (auto read = read_values(f); !read) return std::cerr << "error: " << read.error() << "\n", 2;
    auto listening = listeners(f);
    if (!listening) return std::cerr << "error: " << listening.error() << "\n", 2;
    demo_service service(f.config);
    demo_server server(service, f.threads, f.policy,
                       f.tls.certificate.empty() ? std::nullopt : std::optional<tls_files>(f.tls));
    const auto bound = server.start(f.host, *listening);
    if (!bound) return std::cerr << "error: " << bound.error() << "\n", 1;
    for (std::size_t i = 0; i < bound->size(); ++i)
        std::cout << "listening on " << f.host << ":" << (*bound)[i] << ((*listening)[i].tls ? " (https)" : "") << "\n";
    std::cout << std::flush;
    server.wait_for_signal();
    std::cout << "served " << service.served() << " request(s)" << std::endl;
    return 0;
}
