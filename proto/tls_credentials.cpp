#include "proto/tls_credentials.hpp"

#include <grpcpp/grpcpp.h>

#include "common/text_file.hpp"

namespace stampede::wire {

namespace {

constexpr std::size_t max_pem_bytes = 1u << 20;

// The file's text, or why not, naming the flag it came from.
common::result<std::string> read_pem(const std::string& path, const char* flag) {
    auto text = common::read_text_file(path, max_pem_bytes);
    if (!text) return common::fail(std::string(flag) + ": cannot read " + path + ": " + text.error());
    return text;
}

// A file that may be left out: no path, no text.
common::result<std::string> read_optional_pem(const std::string& path, const char* flag) {
    return path.empty() ? common::result<std::string>(std::string()) : read_pem(path, flag);
}

}  // namespace

common::result<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const std::string& cert,
                                                                            const std::string& key,
                                                                            const std::string& ca) {
    grpc::SslServerCredentialsOptions options(ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                         : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    auto chain = read_pem(cert, "--tls-cert");
    if (!chain) return chain.why();
    auto private_key = read_pem(key, "--tls-key");
    if (!private_key) return private_key.why();
    auto roots = read_optional_pem(ca, "--tls-ca");
    if (!roots) return roots.why();
    options.pem_root_certs = *roots;
    options.pem_key_cert_pairs.push_back({*private_key, *chain});
    return grpc::SslServerCredentials(options);
}

common::result<std::shared_ptr<grpc::ChannelCredentials>> channel_credentials(const std::string& ca,
                                                                              const std::string& cert,
                                                                              const std::string& key) {
    grpc::SslCredentialsOptions ssl;
    auto roots = read_pem(ca, "--tls-ca");
    if (!roots) return roots.why();
    auto chain = read_optional_pem(cert, "--tls-cert");
    if (!chain) return chain.why();
    auto private_key = read_optional_pem(key, "--tls-key");
    if (!private_key) return private_key.why();
    ssl.pem_root_certs = *roots;
    ssl.pem_cert_chain = *chain;
    ssl.pem_private_key = *private_key;
    return grpc::SslCredentials(ssl);
}

}  // namespace stampede::wire
