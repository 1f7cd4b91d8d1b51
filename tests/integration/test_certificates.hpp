#pragma once
// Certificates made for a test by the openssl command: a CA, server certificates it signed
// (valid for 127.0.0.1 and localhost, expired, or for another name only), and a client CA with
// a client certificate for mutual TLS. PEM files in a temp directory removed at scope exit.
// The HTTPS tests and the control channel's TLS tests share them.
#include <string>

#include "tests/integration/process.hpp"

namespace stampede::testing {

class test_certificates {
public:
    test_certificates();

    std::string ca() const { return dir_.file("ca.pem"); }
    // A server certificate for IP 127.0.0.1 and DNS localhost, and its key.
    std::string server_cert() const { return dir_.file("server.pem"); }
    std::string server_key() const { return dir_.file("server.key"); }
    // The same names and key, expired yesterday.
    std::string expired_cert() const { return dir_.file("expired.pem"); }
    // Signed by the CA for DNS other.test only.
    std::string other_name_cert() const { return dir_.file("other.pem"); }
    // Mutual TLS: the CA that signs clients, and a client's certificate and key.
    std::string client_ca() const { return dir_.file("client-ca.pem"); }
    std::string client_cert() const { return dir_.file("client.pem"); }
    std::string client_key() const { return dir_.file("client.key"); }
    const temp_dir& dir() const { return dir_; }

private:
    void sign(const std::string& name, const std::string& key, const std::string& subject, const std::string& alt_names,
              const std::string& ca, int days);

    temp_dir dir_;
};

}  // namespace stampede::testing
