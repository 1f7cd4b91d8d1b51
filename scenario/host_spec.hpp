#pragma once
// The hosts a scenario sends to: the default one (`host`, or --host) and the named ones under
// `hosts`, each with its base URL, its headers and, for https://, its TLS settings.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scenario/base_url.hpp"
#include "scenario/template.hpp"

namespace stampede::lang {

using template_headers = std::vector<std::pair<std::string, text_template>>;

// How an https:// host is reached. Files are read when the scenario loads (relative to it)
// and travel with it to every worker, so each PEM text is held here as well as its name.
struct tls_settings {
    bool verify = true;         // `insecure: true`: the server's certificate is not checked
    std::string ca_file;        // "": the system's trust store
    std::string ca_pem;
    std::string client_cert;    // a client certificate (mutual TLS): chain and key, PEM
    std::string client_cert_pem;
    std::string client_key;
    std::string client_key_pem;
    std::string server_name;    // SNI and the name verified; "": the URL's host
};

struct host_spec {
    std::string name;                // "default" for `host`; else its key under `hosts`
    std::optional<base_url> url;  // the default host's may come from --host alone
    template_headers headers;        // every request to this host; class and step headers win
    tls_settings tls;
    int line = 0, column = 0;        // where it is declared, for messages
};

// The name of the default host: steps use it unless they, their task or their class name one.
inline constexpr const char* default_host_name = "default";

}  // namespace stampede::lang
