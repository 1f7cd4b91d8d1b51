#include "proto/tls_credentials.hpp"

#include <grpcpp/grpcpp.h>

#include "common/text_file.hpp"

namespace stampede::wire {

namespace {

constexpr std::size_t max_pem_bytes = 1u << 20;

// The file's text; on failure the first reason goes to `error`, naming `flag`.
std::string read_pem(const std::string& path, const char* flag, std::string& error) {
    std::string why;
    auto text = common::read_text_file(path, max_pem_bytes, &why);
    if (!text && error.empty()) error = std::string(flag) + ": cannot read " + path + ": " + why;
    return text.value_or("");
}

}  // namespace

std::shared_ptr<grpc::ServerCredentials> server_credentials(const std::string& cert, const std::string& key,
                                                            const std::string& ca, std::string& error) {
    grpc::SslServerCredentialsOptions options(ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                         : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    pair.cert_chain = read_pem(cert, "--tls-cert", error);
    pair.private_key = read_pem(key, "--tls-key", error);
    if (!ca.empty()) options.pem_root_certs = read_pem(ca, "--tls-ca", error);
    if (!error.empty()) return nullptr;
    options.pem_key_cert_pairs.push_back(pair);
    return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const std::string& ca, const std::string& cert,
                                                              const std::string& key, std::string& error) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = read_pem(ca, "--tls-ca", error);
    if (!cert.empty()) ssl.pem_cert_chain = read_pem(cert, "--tls-cert", error);
    if (!key.empty()) ssl.pem_private_key = read_pem(key, "--tls-key", error);
    if (!error.empty()) return nullptr;
    return grpc::SslCredentials(ssl);
}

}  // namespace stampede::wire
