#include "worker/master_stream.hpp"

#include <spdlog/spdlog.h>

#include <limits>

#include "proto/control_transport.hpp"
#include "proto/tls_credentials.hpp"
#include "proto/wire_text.hpp"

namespace stampede::worker {

common::result<std::shared_ptr<grpc::Channel>> make_master_channel(const std::string& address,
                                                                   const channel_security& security) {
    grpc::ChannelArguments args;
    wire::configure_worker_channel(args);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 200);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (!security.ca.empty()) {
        auto loaded = wire::channel_credentials(security.ca, security.cert, security.key);
        if (!loaded) return loaded.why();
        credentials = *loaded;
        if (!security.server_name.empty()) args.SetSslTargetNameOverride(security.server_name);
    }
    return grpc::CreateCustomChannel(address, credentials, args);
}

master_stream::master_stream(v1::Coordinator::Stub& stub, common::micros quiet_limit)
    : stub_(stub), quiet_limit_(quiet_limit) {}

master_stream::~master_stream() { close(); }

void master_stream::extend_deadline(common::micros d) { deadline_ = (clock::now() + d).time_since_epoch().count(); }

std::string unreachable_reason(grpc::Channel& channel, v1::Coordinator::Stub& stub) {
    if (channel.GetState(false) != GRPC_CHANNEL_TRANSIENT_FAILURE) return {};
    grpc::ClientContext probe;
    probe.set_wait_for_ready(false);
    probe.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    auto call = stub.Connect(&probe);
    call->WritesDone();
    v1::MasterMessage ignored;
    while (call->Read(&ignored)) {
    }
    const auto status = call->Finish();
    return status.error_code() == grpc::StatusCode::UNAVAILABLE ? status.error_message() : std::string();
}

bool master_stream::open(v1::WorkerMessage& hello, common::micros first_word) {
    {
        std::lock_guard lock(context_mutex_);
        context_ = std::make_unique<grpc::ClientContext>();
        // Wait for the channel to connect rather than failing on its last error; the
        // watchdog bounds the wait.
        context_->set_wait_for_ready(true);
        extend_deadline(first_word);
    }
    call_ = stub_.Connect(context_.get());
    {
        std::lock_guard lock(inbox_mutex_);
        inbox_.clear();
        ended_ = false;
    }
    reader_ = std::thread([this] { read_all(); });
    return write(hello);
}

void master_stream::read_all() {
    v1::MasterMessage m;
    while (call_->Read(&m)) {
        extend_deadline(quiet_limit_);
        std::lock_guard lock(inbox_mutex_);
        inbox_.push_back(std::move(m));
        inbox_ready_.notify_one();
    }
    std::lock_guard lock(inbox_mutex_);
    ended_ = true;
    inbox_ready_.notify_one();
}

bool master_stream::write(v1::WorkerMessage& message) {
    if (const auto repaired = wire::repair_text_fields(message))
        spdlog::warn("replaced invalid UTF-8 in {} field(s) of a message to the master", repaired);
    return call_ && call_->Write(message);
}

std::pair<std::deque<v1::MasterMessage>, bool> master_stream::take(clock::time_point until) {
    std::unique_lock lock(inbox_mutex_);
    inbox_ready_.wait_until(lock, until, [&] { return !inbox_.empty() || ended_; });
    return {std::exchange(inbox_, {}), ended_};
}

void master_stream::cancel_if_quiet() {
    std::lock_guard lock(context_mutex_);
    if (!context_ || clock::now().time_since_epoch().count() <= deadline_) return;
    spdlog::debug("the master's stream went quiet: cancelling it");
    context_->TryCancel();
    deadline_ = std::numeric_limits<clock::rep>::max();
}

void master_stream::cancel() {
    std::lock_guard lock(context_mutex_);
    if (context_) context_->TryCancel();
}

master_stream::ending master_stream::close() {
    if (!call_) return {};
    bool reader_done = false;
    {
        std::lock_guard lock(inbox_mutex_);
        reader_done = ended_;
    }
    // Cancelling a call that already ended would replace the master's status with CANCELLED.
    if (!reader_done) context_->TryCancel();
    reader_.join();
    const auto status = call_->Finish();
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED)
        spdlog::debug("stream to the master ended: {}", status.error_message());
    call_.reset();
    std::lock_guard lock(context_mutex_);
    context_.reset();
    return {status.ok(), status.error_code()};
}

}  // namespace stampede::worker
