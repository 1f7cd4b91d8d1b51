#include "scenario/loader/host_loader.hpp"

#include <algorithm>

#include "common/text_similarity.hpp"
#include "common/utf8.hpp"

namespace stampede::lang::detail {

namespace {

const keys host_keys = {"url", "headers", "tls"};
const keys tls_keys = {"insecure", "ca_file", "client_cert", "client_key", "server_name"};

// Names go into result rows, CSV columns and flags (--host-url NAME=URL): kept plain.
bool valid_host_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    });
}

}  // namespace

void host_reader::read(const YAML::Node& root, const template_scope& scope, std::vector<host_spec>& hosts) {
    auto& main = hosts.front();
    if (const auto& v = root["host"]) {
        main.line = v.Mark().line + 1;
        main.column = v.Mark().column + 1;
        main.url = read_url(v, "host");
    }
    if (const auto& v = root["tls"]) read_tls(v, main.tls);
    const auto& named = root["hosts"];
    if (!named || !expect_map(named, "hosts")) return;
    if (named.size() > max_hosts) {
        problem(named, "hosts names " + std::to_string(named.size()) + " hosts; at most " + std::to_string(max_hosts));
        return;
    }
    const tls_settings defaults = main.tls;  // a copy: `hosts` grows below, moving `main`
    for (auto it = named.begin(); it != named.end(); ++it) read_named(it->first, it->second, scope, defaults, hosts);
}

std::optional<base_url> host_reader::read_url(const YAML::Node& n, std::string_view what) {
    auto text = get_string(n, what);
    if (!text) return std::nullopt;
    auto url = parse_host_url(*text);
    if (!url) {
        problem(n, url.error());
        return std::nullopt;
    }
    return std::move(*url);
}

void host_reader::read_named(const YAML::Node& key, const YAML::Node& spec, const template_scope& scope,
                             const tls_settings& defaults, std::vector<host_spec>& hosts) {
    host_spec host;
    host.name = key.Scalar();
    host.line = key.Mark().line + 1;
    host.column = key.Mark().column + 1;
    host.tls = defaults;
    if (!valid_host_name(host.name)) {
        problem(key, "host name '" + common::shortened_utf8(host.name, 80) +
                         "': use 1 to 64 letters, digits, '_', '-' or '.'");
        return;
    }
    if (host.name == default_host_name) {
        problem(key, "'default' is the name of the scenario's 'host'; give this one another name");
        return;
    }
    if (std::any_of(hosts.begin(), hosts.end(), [&](const host_spec& h) { return h.name == host.name; })) {
        problem(key, "host '" + host.name + "' is named twice");
        return;
    }
    if (spec.IsMap()) {
        check_keys(spec, host_keys, "host");
        if (const auto& v = spec["url"]) host.url = read_url(v, "url");
        else problem(spec, "host '" + host.name + "' has no 'url'");
        if (const auto& v = spec["headers"]) host.headers = get_headers(v, scope);
        if (const auto& v = spec["tls"]) read_tls(v, host.tls);
    } else {
        host.url = read_url(spec, "host '" + host.name + "'");
    }
    hosts.push_back(std::move(host));
}

void host_reader::read_tls(const YAML::Node& n, tls_settings& tls) {
    if (!expect_map(n, "tls")) return;
    check_keys(n, tls_keys, "tls");
    if (const auto& v = n["insecure"])
        if (auto insecure = get_bool(v, "insecure")) tls.verify = !*insecure;
    if (const auto& v = n["server_name"]) {
        if (auto name = get_string(v, "server_name")) {
            if (name->empty() || name->size() > 253) problem(v, "server_name must be a host name of 1 to 253 characters");
            else tls.server_name = *name;
        }
    }
    if (const auto& v = n["ca_file"])
        if (auto file = read_pem(v, "CA file", tls.ca_pem)) tls.ca_file = *file;
    if (const auto& v = n["client_cert"])
        if (auto file = read_pem(v, "client certificate", tls.client_cert_pem)) tls.client_cert = *file;
    if (const auto& v = n["client_key"])
        if (auto file = read_pem(v, "client key", tls.client_key_pem)) tls.client_key = *file;
    const bool cert = !tls.client_cert.empty(), key = !tls.client_key.empty();
    if (cert != key) problem(n, "mutual TLS needs both client_cert and client_key");
}

// The file's name when it was read and holds PEM text (its content into `pem`).
std::optional<std::string> host_reader::read_pem(const YAML::Node& n, std::string_view what, std::string& pem) {
    auto file = get_string(n, what);
    if (!file) return std::nullopt;
    auto content = read_file_(n, *file, what);
    if (!content) return std::nullopt;
    if (content->find("-----BEGIN ") == std::string::npos) {
        problem(n, std::string(what) + " '" + *file + "' is not PEM (no '-----BEGIN' line)");
        return std::nullopt;
    }
    pem = std::move(*content);
    return file;
}

std::optional<std::uint32_t> find_host(yaml_reader& reader, const YAML::Node& n, const std::vector<host_spec>& hosts) {
    auto name = reader.get_string(n, "host");
    if (!name) return std::nullopt;
    for (std::size_t i = 0; i < hosts.size(); ++i)
        if (hosts[i].name == *name) return static_cast<std::uint32_t>(i);
    std::vector<std::string_view> names;
    for (const auto& h : hosts) names.push_back(h.name);
    std::string message = "no host named '" + common::shortened_utf8(*name, 80) + "'";
    if (name->find("://") != std::string::npos) message += " (a URL goes under 'hosts', with a name to use here)";
    else if (auto hint = common::nearest(*name, names); !hint.empty()) message += " (did you mean '" + hint + "'?)";
    else if (hosts.size() == 1) message += " (declare it under 'hosts')";
    reader.problem(n, message);
    return std::nullopt;
}

}  // namespace stampede::lang::detail
