#pragma once
// An https:// host's TLS, built once per worker from the scenario's settings and shared by
// every user's connections to it: the OpenSSL context (trust store or CA file, verification
// on unless `insecure`, the client certificate for mutual TLS, TLS 1.2 at least), the name
// sent as SNI and verified, and session resumption: each connection keeps the session the
// server gave it, and its user's next connection to the host offers it again.
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "common/result.hpp"
#include "scenario/host_spec.hpp"

using SSL = struct ssl_st;
using SSL_SESSION = struct ssl_session_st;

namespace stampede::worker {

// The session a user's last connection to a host got, offered on its next (TLS resumption).
struct tls_session_slot {
    struct release {
        void operator()(SSL_SESSION* s) const;
    };
    std::unique_ptr<SSL_SESSION, release> session;
};

class tls_client {
public:
    // Only make_tls_client builds one: the context is checked there.
    tls_client(boost::asio::ssl::context context, std::string server_name, bool verify, bool ip_literal);

    // Readies a new connection's SSL before its handshake: SNI, the name or address its
    // certificate must match, and the slot's session to resume (which receives the next).
    void prepare(SSL* ssl, tls_session_slot& slot) const;
    // OpenSSL's handshakes are made from it; its SSL objects are per connection, per thread.
    boost::asio::ssl::context& context() const { return context_; }

private:
    mutable boost::asio::ssl::context context_;
    std::string server_name_;
    bool verify_;
    bool ip_literal_;  // an address, not a name: no SNI, and the certificate must name the address
};

// The TLS of a host at `url_host` with `settings`, or why not (a CA file or a client
// certificate OpenSSL refuses, a key that does not match its certificate).
common::result<std::shared_ptr<const tls_client>> make_tls_client(const lang::tls_settings& settings,
                                                                  const std::string& url_host);

// A connection that ends without a close_notify (servers close keep-alive connections without
// one; the engine never sends one) leaves a session OpenSSL would call bad, and unresumable,
// when its SSL is freed: marked shut down first, its session stays resumable.
void retire_connection(SSL* ssl);

// Why a TLS connection failed, as OpenSSL says it: the certificate's verification result
// when it was that ("certificate has expired"), else the error's reason.
std::string tls_failure_reason(SSL* ssl, const boost::system::error_code& ec);
// The code the failure counts under: the verification result, or the error's own.
int tls_failure_code(SSL* ssl, const boost::system::error_code& ec);

}  // namespace stampede::worker
