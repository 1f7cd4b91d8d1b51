#pragma once
// The scenario model: what a scenario file declares, after validation. Produced by
// scenario_loader, shaped by load_plan (profile, flags, tags), consumed by the engine.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/duration.hpp"
#include "scenario/watch_spec.hpp"
#include "scenario/data_set.hpp"
#include "scenario/response_checks.hpp"
#include "scenario/threshold.hpp"
#include "scenario/host_spec.hpp"
#include "scenario/template.hpp"

namespace stampede::lang {

using common::micros;

using header_list = std::vector<std::pair<std::string, std::string>>;

struct wait_time {
    enum class kind { none, constant, between, pacing };  // pacing: iterations start every `low`
    kind type = kind::none;
    micros low{0};
    micros high{0};
};

struct request_spec {
    std::string method = "GET";
    text_template path;        // the source text is the endpoint's default name
    template_headers headers;  // request-level; merged over class and scenario headers
    text_template body;
    std::string content_type;  // set for json and jsonrpc bodies
    std::optional<micros> timeout;
    std::optional<std::uint64_t> max_body;  // bytes of a response body; past it the request fails
    std::vector<int> expect_status;  // empty: any status below 400 succeeds
    bool jsonrpc = false;            // the response must be a JSON-RPC result, not an error
    // Everything the request reads from the user: variable slots, data sets.
    std::vector<std::uint32_t> variables, data_sets;
};

// A step on its user's WebSocket connection to its host, instead of an HTTP request. The
// connection is the user's, kept across steps and tasks until a close step or a failure.
struct ws_step {
    enum class action : std::uint8_t { connect, send, receive, receive_until, ping, close };
    action what = action::connect;
    std::string subprotocol;            // connect: the Sec-WebSocket-Protocol asked for
    std::optional<check_spec> until;    // receive_until: the message that ends a streamed reply
    std::uint32_t max_messages = 1000;  // receive_until: a longer reply fails the step
    std::uint32_t first_endpoint_id = 0;  // receive_until: time to its first message, an endpoint of its own
};

// One request and what to do with its response.
struct step_spec {
    std::string name;  // endpoint name: declared `name`, else the JSON-RPC method, else the path
    request_spec request;
    std::vector<check_spec> checks;
    std::vector<extract_spec> extracts;
    std::optional<wait_time> think;  // pause after this step
    std::uint32_t endpoint_id = 0;
    std::uint32_t host = 0;  // index into scenario::hosts: the step's, its task's or class's, else the default
    std::optional<ws_step> ws;  // a WebSocket step (request.method "WS"): its path and headers are the connect's
    int line = 0;
};

struct task_spec {
    std::string name;
    int weight = 1;
    std::set<std::string> tags;
    std::vector<step_spec> steps;  // one for a plain request task, in order for a sequence
    int line = 0;
};

// A variable a user class sets when each user starts (`vars`).
struct variable_init {
    std::uint32_t slot = 0;
    text_template value;
};

// One stage of an open-model class's arrivals: over `duration` the rate moves in a straight
// line from the previous stage's (the first from the class's `rate`, or 0) to `rate`.
struct arrival_stage {
    micros duration{0};
    double rate = 0;  // iterations started per second, across the cluster
};

// An open-model class (`arrival_rate`): iterations started per second at intended times,
// whether or not the last ones have finished, by users from a pool that starts at `users`
// and grows up to `max_users`. An iteration that finds no user free (waiting at most
// `max_delay` for one) is dropped and counted.
struct arrival_spec {
    double rate = 0;                    // constant, or where the first stage starts from
    std::vector<arrival_stage> stages;  // none: `rate` for the whole run; past the last, its rate holds
    bool poisson = false;               // random arrivals at the rate; else evenly spaced
    int users = 10;                     // ready at the start, across the cluster
    int max_users = 0;                  // the pool's most (set when loaded: at least `users`)
    micros max_delay{0};                // 0: an iteration starts on time or is dropped
    bool spin = false;                  // the thread polls instead of sleeping as arrivals near
    double peak_rate() const;
    micros stages_length() const;
};

struct user_class_spec {
    std::string name;
    int weight = 1;
    std::optional<int> fixed_count;
    wait_time wait;
    std::optional<arrival_spec> arrivals;  // an open-model class; else closed (users loop)
    template_headers headers;
    std::vector<variable_init> vars;
    std::vector<step_spec> on_start, on_stop;
    std::vector<task_spec> tasks;
    int line = 0;
};

// An endpoint groups requests by their declared name, else by their path *template*,
// never by the rendered URL, so "/agent/{id}" stays one row; and by the host they go to.
struct endpoint {
    std::string method;
    std::string name;
    std::uint32_t host = 0;  // index into scenario::hosts
};

// A check's row in the result: its pass rate is reported per check.
struct check_info {
    std::uint32_t endpoint_id = 0;
    std::string description;
    bool soft = false;
    bool in_run = true;  // false when --tags or --exclude-tags dropped every step that has it
};

// One stage of a closed-model load shape: over `duration`, the users move to `users`, in a
// straight line from the previous stage's count, or at `spawn_rate` users per second.
struct stage_spec {
    micros duration{0};
    int users = 0;  // with per-class counts, their sum
    std::optional<double> spawn_rate;  // none: a linear ramp over the whole duration
    // `users: {Reader: 10, Writer: 2}`: counts per user class by name, instead of splitting
    // `users` by the classes' weights; a class not named gets none in this stage.
    std::vector<std::pair<std::string, int>> per_class;
    int line = 0, column = 0;  // of the per-class counts, for names that match no class
};

// A search for the highest load at which `conditions` hold: from `start` users it steps up
// (times `multiply`, or plus `add`) to `max`, holding each load `step`; once a step misses,
// it halves the gap between the last load that met them and the first that missed until
// they are within `precision`; then it holds the found load for `confirm`. Each step is
// judged over its requests after its first `settle`.
struct capacity_search_spec {
    int start = 1;
    double multiply = 0;  // more than 1; or 0, with `add`
    int add = 0;
    int max = 1;
    micros step{0};
    micros settle{0};
    int precision = 0;    // users; 0: 1 % of the last load that met them, at least 1
    micros confirm{0};    // 0: the found load is not held again
    std::optional<double> spawn_rate;  // none: each step's users start within a second
    std::vector<threshold_spec> conditions;
    int line = 0, column = 0;
};

// A load as a file, a profile or the flags give it: users and a spawn rate, or a shape (a list
// of stages; a staircase is read into stages).
struct load_spec {
    std::optional<int> users;
    std::optional<double> spawn_rate;
    std::optional<micros> run_time;
    std::optional<std::vector<stage_spec>> stages;
    std::optional<std::vector<threshold_spec>> thresholds;  // a profile's: replace the scenario's
    std::optional<std::vector<threshold_spec>> stop_when;   // the run ends when one holds
    std::optional<capacity_search_spec> search;             // a shape that finds its own steps
    // A profile's `arrival_rates`: open-model classes' arrivals by class name, replacing theirs.
    std::vector<std::pair<std::string, arrival_spec>> arrival_rates;
    int arrival_rates_line = 0, arrival_rates_column = 0;
};

struct scenario {
    std::string source_path;
    std::vector<host_spec> hosts{host_spec{default_host_name}};  // [0]: the default host
    template_headers headers;
    micros default_timeout{std::chrono::seconds(60)};
    std::uint64_t default_max_body = std::uint64_t{16} << 20;  // `max_body`: 16 MiB unless set
    std::vector<user_class_spec> user_classes;
    load_spec load;
    std::map<std::string, load_spec> profiles;
    // Every tag the tasks carry, those a tag filter dropped too (what the web UI's start offers).
    std::set<std::string> tags;
    std::vector<threshold_spec> thresholds;  // pass/fail targets; with any, they decide the exit code
    watch_spec watch;  // the service's own figures, read by the master beside the load
    // Thresholds of a part of the run that --tags or --exclude-tags left out (their text): not
    // judged, since nothing of theirs runs, and said so.
    std::vector<std::string> thresholds_left_out;
    std::vector<endpoint> endpoints;  // indexed by step_spec::endpoint_id
    std::vector<check_info> checks;   // indexed by check_spec::id
    std::vector<std::string> variables;  // user variable slots, by name
    std::vector<data_set> data;

    const host_spec& default_host() const { return hosts.front(); }
    host_spec& default_host() { return hosts.front(); }
    // Files the scenario read (data files), by the name it uses, so a master can send them on;
    // and the environment values its templates used.
    std::map<std::string, std::string> files;
    std::map<std::string, std::string> environment;
};

}  // namespace stampede::lang
