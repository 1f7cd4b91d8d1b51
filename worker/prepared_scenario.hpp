#pragma once
// A scenario ready to run, built once per worker and shared read-only by every user: each
// step's request serialized (whole when constant, its constant headers otherwise), every
// class's tasks with their cumulative weights, and the resolved hosts: each host the steps
// send to, with its resolved addresses.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "scenario/scenario.hpp"

namespace stampede::worker {

class tls_client;  // worker/tls_client.hpp

// A host steps send to: its base URL, the addresses it resolved to when the run started, and
// for https:// how TLS connections to it are made.
struct resolved_host {
    std::string name;  // the scenario's host name ("default" for `host`)
    lang::base_url url;
    boost::asio::ip::tcp::resolver::results_type addresses;
    std::shared_ptr<const tls_client> tls;  // null for http://
};

struct templated_header {
    std::string name;
    const lang::text_template* value = nullptr;
    std::vector<std::uint32_t> variables;  // the header is left out while any has no value
};

// A step ready to send: when nothing in it is templated, its request is serialized once and
// reused; otherwise its constant header lines are, and the rest is rendered per request.
struct prepared_step {
    const lang::step_spec* spec = nullptr;
    std::string wire;          // the whole request, when it is constant
    std::string header_lines;  // else its constant headers, "Name: value\r\n" each
    bool constant = true;
    bool head = false;  // a HEAD request: its response has no body
    bool inspects = false;        // checks, extractions or JSON-RPC run on its responses
    bool keeps_response = false;  // and some of them read the body or headers
    // Its endpoint is one that open-model users call: every request of it also records its
    // latency from the moment sent (uncorrected), whoever sends it, so both histograms hold
    // the same requests.
    bool records_uncorrected = false;
    std::vector<templated_header> templated_headers;
    // A WebSocket connect: its constant headers (scenario's, host's, class's, its own), the
    // upgrade's own aside. A send's constant message is `wire`.
    std::vector<std::pair<std::string, std::string>> ws_headers;
    common::micros timeout{0};
    std::uint64_t max_body = 0;
    std::size_t target = 0;  // index into prepared_scenario::targets
};

struct prepared_task {
    std::vector<prepared_step> steps;
};

struct prepared_class {
    const lang::user_class_spec* spec = nullptr;
    std::vector<prepared_task> tasks;
    std::vector<std::uint64_t> cumulative_weight;  // for weighted choice by binary search
    std::vector<prepared_step> on_start, on_stop;
    std::vector<std::size_t> targets;     // the hosts its HTTP steps send to, each once, in step order
    std::vector<std::size_t> ws_targets;  // the hosts its WebSocket steps connect to, likewise
};

// Shared by every user of the worker process: counters and shared data cursors are atomics,
// never locks.
struct prepared_scenario {
    const lang::scenario* sc = nullptr;
    std::vector<prepared_class> classes;
    std::vector<resolved_host> targets;  // indexed like scenario::hosts; resolved when a step sends there
    bool stateful = false;  // any variables or data sets: users carry a user_state
    mutable std::atomic<std::uint64_t> global_counter{0};
    mutable std::atomic<std::uint64_t> users_started{0};
    mutable std::unique_ptr<std::atomic<std::uint64_t>[]> data_cursors;  // one per data set
};

// Builds every task's request and resolves every host its steps send to; fails naming the host that does not resolve.
common::result<std::shared_ptr<const prepared_scenario>> prepare_scenario(const lang::scenario& sc);

}  // namespace stampede::worker
