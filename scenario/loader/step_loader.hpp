#pragma once
// Reads what a user does: tasks, steps (one request each) and JSON-RPC envelopes; a step's
// checks and extractions through check_reader. Part of the scenario loader; see yaml_reader.hpp.
#include "scenario/loader/check_loader.hpp"

namespace stampede::lang::detail {

class step_reader : public check_reader {
public:
    step_reader(std::vector<diagnostic>& problems, scenario& sc, file_reader read_file)
        : check_reader(problems, sc), read_file_(std::move(read_file)) {}

    task_spec read_task(const YAML::Node& n, const template_scope& scope);
    std::vector<step_spec> read_steps(const YAML::Node& n, std::string_view what, const template_scope& scope);

    // While it lives, the steps read go to the host `n` names (a class's or a sequence's
    // `host`), unless a step names its own; with no `n`, the enclosing one's.
    class host_scope {
    public:
        host_scope(step_reader& reader, const YAML::Node& n);
        ~host_scope() { reader_.enclosing_host_ = saved_; }
        host_scope(const host_scope&) = delete;
        host_scope& operator=(const host_scope&) = delete;

    private:
        step_reader& reader_;
        std::uint32_t saved_;
    };

private:
    step_spec read_step(const YAML::Node& n, const template_scope& scope, bool allow_task_keys);
    void read_jsonrpc(const YAML::Node& n, const YAML::Node& rpc, const template_scope& scope, step_spec& step);
    void read_request(const YAML::Node& n, const template_scope& scope, step_spec& step, std::string_view what);
    // The body a request or message names (json, body, json_file or body_file); false when none
    // does. More than one (counting an HTTP request's jsonrpc) is a problem.
    bool read_body(const YAML::Node& n, const template_scope& scope, request_spec& req, bool http);
    // body_file / json_file: a body read from a file beside the scenario (body_file_loader.cpp).
    std::optional<text_template> read_body_file(const YAML::Node& n, const template_scope& scope);
    std::optional<text_template> read_json_file(const YAML::Node& n, const template_scope& scope);
    void read_ws(const YAML::Node& n, const YAML::Node& ws, const template_scope& scope, step_spec& step);  // ws_step_loader.cpp

    std::uint32_t enclosing_host_ = 0;  // the default host
    file_reader read_file_;
};

// The variables and data sets a request's templates read (path, body, headers), noted once.
void note_template_uses(request_spec& req);

// The names a user class's steps extract into, wherever they are (on_start, tasks, on_stop):
// a user keeps its variables from one task to the next.
void collect_extracted_names(const YAML::Node& class_node, std::vector<std::string>& out);

}  // namespace stampede::lang::detail
