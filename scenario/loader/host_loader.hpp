#pragma once
// Reads the hosts a scenario sends to: `host` (the default), `hosts` (named ones: a base URL,
// or {url, headers, tls}) and `tls` (the default host's TLS settings, and every named host's
// unless it sets its own). Part of the scenario loader; see yaml_reader.hpp.
#include "scenario/loader/yaml_reader.hpp"

namespace stampede::lang::detail {

// A scenario may name this many hosts: each is resolved and holds connections per user.
inline constexpr std::size_t max_hosts = 1'000;

class host_reader : public yaml_reader {
public:
    host_reader(std::vector<diagnostic>& problems, file_reader read_file)
        : yaml_reader(problems), read_file_(std::move(read_file)) {}

    // Reads `host`, `tls` and `hosts` of the scenario's root into `hosts` ([0]: the default).
    void read(const YAML::Node& root, const template_scope& scope, std::vector<host_spec>& hosts);

private:
    void read_tls(const YAML::Node& n, tls_settings& tls);
    std::optional<std::string> read_pem(const YAML::Node& n, std::string_view what, std::string& pem);
    void read_named(const YAML::Node& name, const YAML::Node& spec, const template_scope& scope,
                    const tls_settings& defaults, std::vector<host_spec>& hosts);
    std::optional<base_url> read_url(const YAML::Node& n, std::string_view what);

    file_reader read_file_;
};

// The index in `hosts` of the host `n` names, or nullopt with the problem reported (naming
// the hosts there are, and the nearest).
std::optional<std::uint32_t> find_host(yaml_reader& reader, const YAML::Node& n, const std::vector<host_spec>& hosts);

}  // namespace stampede::lang::detail
