#include "master/coordinator_service.hpp"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <deque>

#include "common/control_transport.hpp"
#include "common/text_file.hpp"
#include "stampede/v1/cluster.grpc.pb.h"

namespace stampede::master {

namespace {

std::string read_pem(const std::string& path, std::string* error) {
    auto text = common::read_text_file(path);
    if (!text) *error = "cannot read " + path;
    return text.value_or("");
}

// One worker's stream. Reads drive the cluster; writes queue behind one in flight. The
// reactor deletes itself in OnDone, after telling the cluster it is gone.
class worker_stream final : public grpc::ServerBidiReactor<v1::WorkerMessage, v1::MasterMessage>,
                            public worker_link {
public:
    worker_stream(cluster& c, grpc::CallbackServerContext* context)
        : cluster_(c), context_(context), arena_block_(std::make_unique<char[]>(arena_block_size)),
          arena_(arena_options()) {
        next_read();
    }

    void send(const v1::MasterMessage& message) override {
        std::lock_guard lock(mutex_);
        if (finishing_) return;
        outgoing_.push_back(message);
        if (outgoing_.size() == 1) StartWrite(&outgoing_.front());
    }

    void close(bool run_over) override {
        std::lock_guard lock(mutex_);
        if (finishing_) return;
        finishing_ = true;
        final_status_ = run_over ? grpc::Status::OK : grpc::Status(grpc::StatusCode::ABORTED, "closed by the master");
        if (outgoing_.empty()) Finish(final_status_);
    }

    std::string peer() const override { return context_->peer(); }

    void OnReadDone(bool ok) override {
        if (!ok) {
            cluster_.on_disconnect(*this);
            close(false);
            return;
        }
        if (!said_hello_) {
            said_hello_ = true;
            if (incoming_->has_hello()) cluster_.on_hello(*this, incoming_->hello());
            else {
                spdlog::warn("a peer at {} spoke before saying hello: closing", peer());
                close(false);
                return;
            }
        } else {
            cluster_.on_message(*this, *incoming_);
        }
        next_read();
    }

    void OnWriteDone(bool ok) override {
        std::lock_guard lock(mutex_);
        outgoing_.pop_front();
        if (!ok) outgoing_.clear();
        if (!outgoing_.empty()) StartWrite(&outgoing_.front());
        else if (finishing_) Finish(final_status_);
    }

    void OnDone() override {
        cluster_.on_disconnect(*this);
        delete this;
    }

    void OnCancel() override { cluster_.on_disconnect(*this); }

private:
    // Each message is parsed into an arena that starts in a block this stream owns and is
    // reset after the message is handled: a busy stream parses without touching malloc.
    static constexpr std::size_t arena_block_size = 32 * 1024;
    google::protobuf::ArenaOptions arena_options() {
        google::protobuf::ArenaOptions options;
        options.initial_block = arena_block_.get();
        options.initial_block_size = arena_block_size;
        return options;
    }
    void next_read() {
        arena_.Reset();
        incoming_ = google::protobuf::Arena::CreateMessage<v1::WorkerMessage>(&arena_);
        StartRead(incoming_);
    }

    cluster& cluster_;
    grpc::CallbackServerContext* context_;
    std::unique_ptr<char[]> arena_block_;
    google::protobuf::Arena arena_;
    v1::WorkerMessage* incoming_ = nullptr;
    std::mutex mutex_;
    std::deque<v1::MasterMessage> outgoing_;
    bool finishing_ = false;
    grpc::Status final_status_;
    bool said_hello_ = false;
};

}  // namespace

struct coordinator_server::service final : v1::Coordinator::CallbackService {
    explicit service(cluster& c) : cluster_(c) {}
    grpc::ServerBidiReactor<v1::WorkerMessage, v1::MasterMessage>* Connect(
        grpc::CallbackServerContext* context) override {
        return new worker_stream(cluster_, context);
    }
    cluster& cluster_;
};

coordinator_server::coordinator_server(cluster& c) : cluster_(c), service_(std::make_unique<service>(c)) {}

coordinator_server::~coordinator_server() { shutdown(); }

std::string coordinator_server::start(const std::string& bind, const tls_files& tls) {
    grpc::ServerBuilder builder;
    common::configure_master_server(builder);
    if (!bind.empty()) {
        std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
        if (tls.enabled()) {
            std::string error;
            grpc::SslServerCredentialsOptions options(
                tls.ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                               : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
            grpc::SslServerCredentialsOptions::PemKeyCertPair pair{read_pem(tls.key, &error), read_pem(tls.cert, &error)};
            if (!tls.ca.empty()) options.pem_root_certs = read_pem(tls.ca, &error);
            if (!error.empty()) return "--tls-cert/--tls-key/--tls-ca: " + error;
            options.pem_key_cert_pairs.push_back(pair);
            credentials = grpc::SslServerCredentials(options);
        }
        builder.AddListeningPort(bind, credentials, &port_);
    }
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    if (!server_ || (!bind.empty() && port_ == 0)) return "--bind: cannot listen on " + bind;
    return {};
}

std::shared_ptr<grpc::Channel> coordinator_server::in_process_channel() {
    grpc::ChannelArguments args;
    return server_->InProcessChannel(args);
}

void coordinator_server::shutdown() {
    if (!server_) return;
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_->Wait();
    server_.reset();
}

}  // namespace stampede::master
