#include "master/watch_sources.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>

#include "scenario/base_url.hpp"
#include "watch/prometheus_source.hpp"
#include "watch/resource_source.hpp"

namespace stampede::master {

namespace {

namespace ssl = boost::asio::ssl;
using sources = std::vector<std::unique_ptr<watch::watched_source>>;

// The context a scrape verifies the service with: the host's trust, its client certificate.
common::result<std::shared_ptr<ssl::context>> tls_context(const lang::tls_settings& settings) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_verify_mode(settings.verify ? ssl::verify_peer : ssl::verify_none, ec);
    if (settings.verify && !settings.ca_pem.empty()) ctx->add_certificate_authority(boost::asio::buffer(settings.ca_pem), ec);
    else if (settings.verify) ctx->set_default_verify_paths(ec);
    if (ec) return common::fail("its trust (" + (settings.ca_file.empty() ? std::string("the system's") : settings.ca_file) +
                                "): " + ec.message());
    if (!settings.client_cert_pem.empty()) {
        ctx->use_certificate_chain(boost::asio::buffer(settings.client_cert_pem), ec);
        if (!ec) ctx->use_private_key(boost::asio::buffer(settings.client_key_pem), ssl::context::pem, ec);
        if (ec) return common::fail("its client certificate '" + settings.client_cert + "': " + ec.message());
    }
    return ctx;
}

common::result<std::unique_ptr<watch::watched_source>> prometheus_of(const lang::prometheus_watch& p,
                                                                    const std::vector<lang::host_spec>& hosts) {
    const auto& host = hosts.at(p.url ? 0 : p.host);
    lang::base_url url;
    std::string path = p.path;
    if (p.url) {
        auto parsed = lang::parse_host_url(*p.url);
        if (!parsed) return common::fail("watch: " + *p.url + ": " + parsed.error());
        url = *parsed;
        path = url.base_path.empty() ? "/" : url.base_path;
        url.base_path.clear();
    } else if (host.url) {
        url = *host.url;
    } else {
        return common::fail("watch: the endpoint at line " + std::to_string(p.line) + " is on host '" + host.name +
                            "', which has no URL (give --host)");
    }
    watch::scrape_request request{url.host, url.port, url.base_path + path, url.authority(), p.headers, p.timeout};
    if (url.tls()) {
        auto ctx = tls_context(host.tls);
        if (!ctx) return common::fail("watch: " + url.url() + path + ": " + ctx.error());
        request.tls = std::move(*ctx);
        request.server_name = host.tls.server_name;
    }
    std::vector<watch::prometheus_series> series;
    for (const auto& s : p.series) series.push_back({s.name, s.query, s.share_with});
    return std::unique_ptr<watch::watched_source>(
        std::make_unique<watch::prometheus_source>(url.url() + path, std::move(request), std::move(series)));
}

common::status add_local(sources& out, std::unique_ptr<watch::resource_source> source) {
    if (auto ready = source->ready(); !ready) return common::fail("watch: " + source->label() + ": " + ready.error());
    out.push_back(std::move(source));
    return {};
}

}  // namespace

common::result<sources> make_watch_sources(const lang::watch_spec& spec, const std::vector<lang::host_spec>& hosts) {
    sources out;
    for (const auto& p : spec.prometheus) {
        auto source = prometheus_of(p, hosts);
        if (!source) return source.why();
        out.push_back(std::move(*source));
    }
    for (const auto& p : spec.processes)
        if (auto added = add_local(out, std::make_unique<watch::resource_source>(p.name, p.target)); !added) return added.why();
    for (const auto& c : spec.cgroups)
        if (auto added = add_local(out, std::make_unique<watch::resource_source>(c.name, watch::cgroup_target{c.path}));
            !added)
            return added.why();
    for (const auto& c : spec.containers)
        if (auto added = add_local(out, std::make_unique<watch::resource_source>(c.name, watch::container_target{c.container}));
            !added)
            return added.why();
    return out;
}

}  // namespace stampede::master
