#pragma once
// One scrape of a service's Prometheus endpoint: an HTTP/1.1 GET over plain TCP or TLS, made and
// answered within one deadline, the answer's body bounded as it is read. A failure says why in
// one line (refused, timed out, TLS's reason, an HTTP status, an answer too large) and never
// holds the caller past the deadline: a service that stops answering costs a gap, not a hang.
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "common/duration.hpp"
#include "common/result.hpp"

namespace stampede::watch {

struct scrape_request {
    std::string host;    // a name, or an address (IPv6 without brackets)
    std::string port;
    std::string target;  // the path and query, from '/'
    std::string host_header;  // as the Host header writes the authority
    std::vector<std::pair<std::string, std::string>> headers;
    common::micros timeout{std::chrono::seconds(2)};
    std::size_t max_bytes = std::size_t{16} << 20;
    // For https: the context to verify the server with (its trust, its client certificate); the
    // name sent as SNI and verified is `host` unless `server_name` says another. Null: plain.
    std::shared_ptr<boost::asio::ssl::context> tls;
    std::string server_name;
};

// The answer's body when it came whole with a 2xx status; why not otherwise.
common::result<std::string> scrape(const scrape_request& request);

}  // namespace stampede::watch
