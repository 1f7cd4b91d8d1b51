#include "proto/master_connection.hpp"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <limits>

#include "proto/control_transport.hpp"
#include "proto/tls_credentials.hpp"
#include "proto/wire_text.hpp"
#include "stampede/v1/cluster.grpc.pb.h"

namespace stampede::wire {

common::result<std::shared_ptr<master_channel>> channel_to_master(const std::string& address,
                                                                  const channel_security& security) {
    grpc::ChannelArguments args;
    configure_worker_channel(args);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!security.ca.empty()) {
        auto loaded = channel_credentials(security.ca, security.cert, security.key);
        if (!loaded) return loaded.why();
        credentials = *loaded;
        if (!security.server_name.empty()) args.SetSslTargetNameOverride(security.server_name);
    }
    return std::make_shared<master_channel>(grpc::CreateCustomChannel(address, credentials, args));
}

// The stub lives as long as the connection; the context and the stream, one call.
struct master_connection::call {
    explicit call(master_channel& channel) : stub(v1::Coordinator::NewStub(channel.shared())) {}
    std::unique_ptr<v1::Coordinator::Stub> stub;
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReaderWriter<v1::WorkerMessage, v1::MasterMessage>> stream;
    v1::WorkerMessage outgoing;  // reused: a snapshot a second encodes into the same storage
};

master_connection::master_connection(std::shared_ptr<master_channel> channel, common::micros quiet_limit)
    : channel_(std::move(channel)), quiet_limit_(quiet_limit), call_(std::make_unique<call>(*channel_)) {}

master_connection::~master_connection() { close(); }

void master_connection::extend_deadline(common::micros d) { deadline_ = (clock::now() + d).time_since_epoch().count(); }

std::string master_connection::unreachable_reason() {
    if (channel_->grpc_channel().GetState(false) != GRPC_CHANNEL_TRANSIENT_FAILURE) return {};
    grpc::ClientContext probe;
    probe.set_wait_for_ready(false);
    probe.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    auto stream = call_->stub->Connect(&probe);
    stream->WritesDone();
    v1::MasterMessage ignored;
    while (stream->Read(&ignored)) {
    }
    const auto status = stream->Finish();
    return status.error_code() == grpc::StatusCode::UNAVAILABLE ? status.error_message() : std::string();
}

bool master_connection::open(const hello& greeting, common::micros first_word) {
    {
        std::lock_guard lock(context_mutex_);
        call_->context = std::make_unique<grpc::ClientContext>();
        // Wait for the channel to connect rather than failing on its last error; the
        // watchdog bounds the wait.
        call_->context->set_wait_for_ready(true);
        extend_deadline(first_word);
    }
    call_->stream = call_->stub->Connect(call_->context.get());
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.clear();
        ended_ = false;
    }
    reader_ = std::thread([this] { read_all(); });
    return send(greeting).ok;
}

void master_connection::read_all() {
    v1::MasterMessage m;
    while (call_->stream->Read(&m)) {
        extend_deadline(quiet_limit_);
        auto decoded = decode(m);
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(decoded));
        inbox_ready_.notify_one();
    }
    std::lock_guard lock(inbox_mutex_);
    ended_ = true;
    inbox_ready_.notify_one();
}

send_result master_connection::send(const worker_outgoing& message) {
    if (!call_->stream) return {};
    auto& m = call_->outgoing;
    encode(message, m);
    if (const auto repaired = repair_text_fields(m))
        spdlog::warn("replaced invalid UTF-8 in {} field(s) of a message to the master", repaired);
    if (const auto size = m.ByteSizeLong(); size > max_control_message_bytes) return {false, size};
    return {call_->stream->Write(m), 0};
}

std::pair<std::deque<master_message>, bool> master_connection::take(clock::time_point until) {
    std::unique_lock lock(inbox_mutex_);
    inbox_ready_.wait_until(lock, until, [&] { return !inbox_.empty() || ended_; });
    return {std::exchange(inbox_, {}), ended_};
}

void master_connection::cancel_if_quiet() {
    std::lock_guard lock(context_mutex_);
    if (!call_->context || clock::now().time_since_epoch().count() <= deadline_) return;
    spdlog::debug("the master's stream went quiet: cancelling it");
    call_->context->TryCancel();
    deadline_ = std::numeric_limits<clock::rep>::max();
}

void master_connection::cancel() {
    std::lock_guard lock(context_mutex_);
    if (call_->context) call_->context->TryCancel();
}

master_connection::ending master_connection::close() {
    if (!call_->stream) return {};
    bool reader_done = false;
    {
        std::lock_guard lock(inbox_mutex_);
        reader_done = ended_;
    }
    // Cancelling a call that already ended would replace the master's status with CANCELLED.
    if (!reader_done) call_->context->TryCancel();
    reader_.join();
    const auto status = call_->stream->Finish();
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED)
        spdlog::debug("stream to the master ended: {}", status.error_message());
    call_->stream.reset();
    std::lock_guard lock(context_mutex_);
    call_->context.reset();
    return {status.ok(), status.error_code() == grpc::StatusCode::ABORTED,
            status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED};
}

}  // namespace stampede::wire
