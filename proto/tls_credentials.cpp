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

// The three PEM texts of one end, read in flag order (cert, key, CA); `required` names the
// ones that must be given, the others may be left out (no path, no text).
struct pem_texts {
    std::string cert, key, ca;
};
enum pem_need : unsigned { need_cert = 1, need_key = 2, need_ca = 4 };

common::result<pem_texts> read_pems(const std::string& cert, const std::string& key, const std::string& ca,
                                    unsigned required) {
    pem_texts out;
    const struct {
        const std::string& path;
        const char* flag;
        unsigned need;
        std::string& text;
    } files[] = {{cert, "--tls-cert", need_cert, out.cert}, {key, "--tls-key", need_key, out.key},
                 {ca, "--tls-ca", need_ca, out.ca}};
    for (const auto& f : files) {
        if (f.path.empty() && !(required & f.need)) continue;
        auto text = read_pem(f.path, f.flag);
        if (!text) return text.why();
        f.text = std::move(*text);
    }
    return out;
}

}  // namespace

common::result<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const std::string& cert,
                                                                            const std::string& key,
                                                                            const std::string& ca) {
    auto pems = read_pems(cert, key, ca, need_cert | need_key);
    if (!pems) return pems.why();
    grpc::SslServerCredentialsOptions options(ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                         : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    options.pem_root_certs = pems->ca;
    options.pem_key_cert_pairs.push_back({pems->key, pems->cert});
    return grpc::SslServerCredentials(options);
}

common::result<std::shared_ptr<grpc::ChannelCredentials>> channel_credentials(const std::string& ca,
                                                                              const std::string& cert,
                                                                              const std::string& key) {
    auto pems = read_pems(cert, key, ca, need_ca);
    if (!pems) return pems.why();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pems->ca;
    ssl.pem_cert_chain = pems->cert;
    ssl.pem_private_key = pems->key;
    return grpc::SslCredentials(ssl);
}

}  // namespace stampede::wire
