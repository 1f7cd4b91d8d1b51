#include "worker/tls_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace stampede::worker {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

namespace {

// Where a connection's SSL keeps its session slot. Not the SSL's "app data": Asio's stream
// keeps its verify callback there and deletes whatever it finds when the stream goes.
int slot_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// OpenSSL calls it when a server gives a connection a session (TLS 1.3 sends its tickets
// after the handshake): the connection's slot takes it, for its user's next connection.
int keep_new_session(SSL* ssl, SSL_SESSION* session) {
    auto* slot = static_cast<tls_session_slot*>(SSL_get_ex_data(ssl, slot_index()));
    if (!slot) return 0;
    slot->session.reset(session);
    return 1;  // the reference is the slot's now
}

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

}  // namespace

void tls_session_slot::release::operator()(SSL_SESSION* s) const { SSL_SESSION_free(s); }

void retire_connection(SSL* ssl) { SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN); }

tls_client::tls_client(ssl::context context, std::string server_name, bool verify, bool ip_literal)
    : context_(std::move(context)), server_name_(std::move(server_name)), verify_(verify), ip_literal_(ip_literal) {}

void tls_client::prepare(SSL* ssl, tls_session_slot& slot) const {
    if (!ip_literal_) SSL_set_tlsext_host_name(ssl, server_name_.c_str());
    if (verify_) {
        if (ip_literal_) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), server_name_.c_str());
        else SSL_set1_host(ssl, server_name_.c_str());
    }
    SSL_set_ex_data(ssl, slot_index(), &slot);
    if (slot.session) SSL_set_session(ssl, slot.session.get());
}

common::result<std::shared_ptr<const tls_client>> make_tls_client(const lang::tls_settings& settings,
                                                                  const std::string& url_host) {
    ssl::context ctx(ssl::context::tls_client);
    boost::system::error_code ec;
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    // An idle keep-alive connection gives its read and write buffers back (tens of KiB each).
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
    // Sessions are kept per user (keep_new_session), not in a store every thread would lock.
    SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(native, keep_new_session);
    if (settings.verify) {
        ctx.set_verify_mode(ssl::verify_peer, ec);
        if (!settings.ca_pem.empty()) {
            ctx.add_certificate_authority(asio::buffer(settings.ca_pem), ec);
            if (ec) return common::fail("CA file '" + settings.ca_file + "': " + ec.message());
        } else {
            ctx.set_default_verify_paths(ec);
            if (ec) return common::fail("the system's trust store: " + ec.message());
        }
    } else {
        ctx.set_verify_mode(ssl::verify_none, ec);
    }
    if (!settings.client_cert_pem.empty()) {
        ctx.use_certificate_chain(asio::buffer(settings.client_cert_pem), ec);
        if (ec) return common::fail("client certificate '" + settings.client_cert + "': " + ec.message());
        ctx.use_private_key(asio::buffer(settings.client_key_pem), ssl::context::pem, ec);
        if (ec) return common::fail("client key '" + settings.client_key + "': " + ec.message());
        if (SSL_CTX_check_private_key(native) != 1)
            return common::fail("client key '" + settings.client_key + "' does not match client certificate '" +
                                settings.client_cert + "'");
    }
    const auto& name = settings.server_name.empty() ? url_host : settings.server_name;
    return std::make_shared<const tls_client>(std::move(ctx), name, settings.verify, is_ip_literal(name));
}

namespace {

// OpenSSL checks the certificate even when told not to require it: its result means
// something only where verification was asked for.
bool verification_failed(SSL* ssl) {
    return ssl && (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) && SSL_get_verify_result(ssl) != X509_V_OK;
}

}  // namespace

std::string tls_failure_reason(SSL* ssl, const boost::system::error_code& ec) {
    if (verification_failed(ssl)) {
        return std::string("certificate verify failed: ") + X509_verify_cert_error_string(SSL_get_verify_result(ssl));
    }
    if (ec == asio::ssl::error::stream_truncated || ec == asio::error::eof)
        return "the server closed the connection (does it serve TLS on this port?)";
    if (ec.category() == asio::error::get_ssl_category()) {
        const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
        if (reason) return reason;
    }
    return ec.message();
}

int tls_failure_code(SSL* ssl, const boost::system::error_code& ec) {
    if (verification_failed(ssl)) {
        return static_cast<int>(SSL_get_verify_result(ssl));
    }
    return ec.category() == asio::error::get_ssl_category() ? ERR_GET_REASON(static_cast<unsigned long>(ec.value())) + 1000
                                                            : ec.value();
}

}  // namespace stampede::worker
