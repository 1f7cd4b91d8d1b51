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
#include "common/endpoint_stats.hpp"

namespace stampede::common {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct target_host {
    std::string scheme = "http";
    std::string host;
    std::string port = "80";
    std::string base_path;  // prefix for every request path, without trailing slash
};

struct wait_time {
    enum class kind { none, constant, between };
    kind type = kind::none;
    micros low{0};
    micros high{0};
};

struct request_spec {
    std::string method = "GET";
    std::string path;          // as written (a template once templating lands)
    header_list headers;       // request-level; merged over class and scenario headers
    std::string body;
    std::string content_type;  // set for json bodies
    std::optional<micros> timeout;
    std::vector<int> expect_status;  // empty: any status below 400 succeeds
};

struct task_spec {
    std::string name;  // endpoint name: declared `name`, else the path template
    int weight = 1;
    std::set<std::string> tags;
    request_spec request;
    std::uint32_t endpoint_id = 0;
    int line = 0;
};

struct user_class_spec {
    std::string name;
    int weight = 1;
    std::optional<int> fixed_count;
    wait_time wait;
    header_list headers;
    std::vector<task_spec> tasks;
    int line = 0;
};

struct load_spec {
    std::optional<int> users;
    std::optional<double> spawn_rate;
    std::optional<micros> run_time;
};

struct scenario {
    std::string source_path;
    std::optional<target_host> host;
    header_list headers;
    micros default_timeout{std::chrono::seconds(60)};
    std::vector<user_class_spec> user_classes;
    load_spec load;
    std::map<std::string, load_spec> profiles;
    std::vector<endpoint> endpoints;  // indexed by task_spec::endpoint_id
};

// Parses "http://host:port/base". Returns nullopt with a reason.
std::optional<target_host> parse_host_url(const std::string& url, std::string* error);

}  // namespace stampede::common
