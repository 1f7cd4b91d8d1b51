#include "tests/integration/test_certificates.hpp"

#include <cstdlib>
#include <stdexcept>

namespace stampede::testing {

namespace {

void shell(const std::string& command) {
    if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + command);
}

}  // namespace

// A certificate `name`.pem for `key`, signed by `ca` (its .pem and .key), valid for `days`
// from now (negative: expired that many days ago), naming `alt_names` (subjectAltName).
void test_certificates::sign(const std::string& name, const std::string& key, const std::string& subject,
                             const std::string& alt_names, const std::string& ca, int days) {
    const auto d = dir_.path() + "/";
    write_file(d + name + ".ext", "subjectAltName=" + alt_names + "\n");
    shell("openssl req -new -key " + d + key + " -out " + d + name + ".csr -subj '" + subject + "'");
    shell("openssl x509 -req -in " + d + name + ".csr -CA " + d + ca + ".pem -CAkey " + d + ca + ".key -set_serial " +
          std::to_string(std::rand() + 1) + " -out " + d + name + ".pem -days " + std::to_string(days) + " -extfile " +
          d + name + ".ext");
}

test_certificates::test_certificates() {
    const auto d = dir_.path() + "/";
    const std::string ec_key = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out ";
    for (const auto* ca : {"ca", "client-ca"}) {
        shell(ec_key + d + ca + ".key");
        shell("openssl req -x509 -new -key " + d + ca + ".key -out " + d + ca + ".pem -days 2 -subj '/CN=Stampede test " +
              ca + "'");
    }
    shell(ec_key + d + "server.key");
    shell(ec_key + d + "client.key");
    sign("server", "server.key", "/CN=localhost", "IP:127.0.0.1,DNS:localhost", "ca", 2);
    sign("expired", "server.key", "/CN=localhost", "IP:127.0.0.1,DNS:localhost", "ca", -1);
    sign("other", "server.key", "/CN=other.test", "DNS:other.test", "ca", 2);
    sign("client", "client.key", "/CN=stampede worker", "DNS:worker.test", "client-ca", 2);
}

}  // namespace stampede::testing
