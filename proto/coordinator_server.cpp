#include "proto/coordinator_server.hpp"

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <mutex>
#include <thread>

#include "proto/control_transport.hpp"
#include "proto/message_codec.hpp"
#include "proto/tls_credentials.hpp"
#include "proto/wire_text.hpp"
#include "stampede/v1/cluster.grpc.pb.h"

namespace stampede::wire {

namespace {

// The service's completion queue, and whether it still takes new streams: once the server
// shuts down, no new request may reach the queue.
struct stream_queue {
    v1::Coordinator::AsyncService service;
    std::unique_ptr<grpc::ServerCompletionQueue> queue;
    std::mutex mutex;
    bool accepting = true;

    void accept_next(worker_handler& h);  // a stream object waiting for the next worker
    void stop_accepting() {
        std::lock_guard lock(mutex);
        accepting = false;
    }
};

// One worker's stream on the server's completion queue. All its completions run on the one
// thread that drives the queue; `send` and `close` may come from any thread (the handler's).
// It deletes itself once the call is over and no operation of its own is still in flight.
class worker_stream final : public worker_link {
public:
    worker_stream(worker_handler& h, stream_queue& streams)
        : handler_(h), streams_(streams), stream_(&context_),
          arena_block_(std::make_unique<char[]>(arena_block_size)), arena_(arena_options()) {
        context_.AsyncNotifyWhenDone(&done_op_);  // delivered only once the call has started
        streams.service.RequestConnect(&context_, &stream_, streams.queue.get(), streams.queue.get(), &accept_op_);
    }

    void send(const master_message& message) override {
        std::lock_guard lock(mutex_);
        if (finishing_) return;
        encode(message, outgoing_.emplace_back());
        if (const auto repaired = repair_text_fields(outgoing_.back()))
            spdlog::warn("replaced invalid UTF-8 in {} field(s) of a message to worker {}", repaired, peer());
        if (outgoing_.size() == 1) start_write();
    }

    void close(bool run_over) override {
        std::lock_guard lock(mutex_);
        if (finishing_) return;
        finishing_ = true;
        final_status_ = run_over ? grpc::Status::OK : grpc::Status(grpc::StatusCode::ABORTED, "closed by the master");
        if (outgoing_.empty()) start_finish();
    }

    std::string peer() const override { return context_.peer(); }

    // A completion from the queue, by the operation it belongs to.
    struct operation {
        worker_stream* stream;
        void (worker_stream::*complete)(bool ok);
    };

private:
    void on_accepted(bool ok) {
        if (!ok) {  // the server is shutting down: the call never started, nothing else will come
            delete this;
            return;
        }
        streams_.accept_next(handler_);
        {
            std::lock_guard lock(mutex_);
            started_ = true;
        }
        start_read();
    }

    void on_read(bool ok) {
        {
            std::lock_guard lock(mutex_);
            reading_ = false;
        }
        if (!ok) {
            // Before its hello: a peer that gave up, or sent a message that does not parse.
            if (!said_hello_) spdlog::warn("a peer at {} ended its stream before a hello this master could read", peer());
            handler_.on_disconnect(*this);
            close(false);
            return release_if_idle();
        }
        if (!said_hello_) {
            said_hello_ = true;
            if (!incoming_->has_hello()) {
                spdlog::warn("a peer at {} spoke before saying hello: closing", peer());
                close(false);
                return release_if_idle();
            }
            handler_.on_hello(*this, std::get<hello>(decode(*incoming_)));
        } else {
            handler_.on_message(*this, decode(*incoming_));
        }
        start_read();
    }

    void on_written(bool ok) {
        {
            std::lock_guard lock(mutex_);
            writing_ = false;
            outgoing_.pop_front();
            if (!ok) outgoing_.clear();
            if (!outgoing_.empty()) start_write();
            else if (finishing_) start_finish();
        }
        release_if_idle();
    }

    void on_finished(bool) {
        {
            std::lock_guard lock(mutex_);
            finish_pending_ = false;
        }
        release_if_idle();
    }

    void on_done(bool) {
        handler_.on_disconnect(*this);  // after this the handler no longer calls send or close
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        release_if_idle();
    }

    // Under mutex_. One write in flight; Finish only once nothing is queued.
    void start_write() {
        writing_ = true;
        stream_.Write(outgoing_.front(), &write_op_);
    }
    void start_finish() {
        if (finish_started_ || !started_) return;
        finish_started_ = finish_pending_ = true;
        stream_.Finish(final_status_, &finish_op_);
    }

    // Each message is parsed into an arena that starts in a block this stream owns and is
    // reset after the message is handled: a busy stream parses without touching malloc.
    void start_read() {
        arena_.Reset();
        incoming_ = google::protobuf::Arena::CreateMessage<v1::WorkerMessage>(&arena_);
        std::lock_guard lock(mutex_);
        reading_ = true;
        stream_.Read(incoming_, &read_op_);
    }

    void release_if_idle() {
        {
            std::lock_guard lock(mutex_);
            if (!done_ || reading_ || writing_ || finish_pending_) return;
        }
        delete this;
    }

    static constexpr std::size_t arena_block_size = 32 * 1024;
    google::protobuf::ArenaOptions arena_options() {
        google::protobuf::ArenaOptions options;
        options.initial_block = arena_block_.get();
        options.initial_block_size = arena_block_size;
        return options;
    }

    worker_handler& handler_;
    stream_queue& streams_;
    grpc::ServerContext context_;
    grpc::ServerAsyncReaderWriter<v1::MasterMessage, v1::WorkerMessage> stream_;
    operation accept_op_{this, &worker_stream::on_accepted};
    operation read_op_{this, &worker_stream::on_read};
    operation write_op_{this, &worker_stream::on_written};
    operation finish_op_{this, &worker_stream::on_finished};
    operation done_op_{this, &worker_stream::on_done};
    std::unique_ptr<char[]> arena_block_;
    google::protobuf::Arena arena_;
    v1::WorkerMessage* incoming_ = nullptr;
    bool said_hello_ = false;  // only the queue's thread reads and writes it
    std::mutex mutex_;         // the rest, below, also from the handler's threads
    std::deque<v1::MasterMessage> outgoing_;
    bool started_ = false, reading_ = false, writing_ = false;
    bool finishing_ = false, finish_started_ = false, finish_pending_ = false, done_ = false;
    grpc::Status final_status_;
};

void stream_queue::accept_next(worker_handler& h) {
    std::lock_guard lock(mutex);
    if (accepting) new worker_stream(h, *this);
}

}  // namespace

// One thread drives every stream: it polls the sockets itself and runs each completion
// where it lands. A thousand workers sending a snapshot a second then cost one wake-up per
// message, not a hand-off between gRPC's threads for each read and each write.
constexpr int waiting_streams = 64;

struct coordinator_server::service {
    stream_queue streams;
    std::thread driver;

    void drive() {
        void* tag = nullptr;
        bool ok = false;
        while (streams.queue->Next(&tag, &ok)) {
            auto* op = static_cast<worker_stream::operation*>(tag);
            (op->stream->*op->complete)(ok);
        }
    }
};

coordinator_server::coordinator_server(worker_handler& handler) : handler_(handler), service_(std::make_unique<service>()) {}

coordinator_server::~coordinator_server() { shutdown(); }

common::status coordinator_server::start(const std::string& bind, const tls_files& tls) {
    grpc::ServerBuilder builder;
    configure_master_server(builder);
    if (!bind.empty()) {
        std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
        if (tls.enabled()) {
            auto loaded = server_credentials(tls.cert, tls.key, tls.ca);
            if (!loaded) return loaded.why();
            credentials = *loaded;
        }
        builder.AddListeningPort(bind, credentials, &port_);
    }
    builder.RegisterService(&service_->streams.service);
    service_->streams.queue = builder.AddCompletionQueue();
    server_ = builder.BuildAndStart();
    if (!server_ || (!bind.empty() && port_ == 0)) {
        server_.reset();
        return common::fail("--bind: cannot listen on " + bind);
    }
    // Stream objects waiting for workers, each replaced as it is taken: a thousand workers
    // arriving together are matched many at a time, not one per turn of the queue.
    for (int i = 0; i < waiting_streams; ++i) service_->streams.accept_next(handler_);
    service_->driver = std::thread([s = service_.get()] { s->drive(); });
    return {};
}

std::shared_ptr<master_channel> coordinator_server::in_process_channel() {
    grpc::ChannelArguments args;
    configure_worker_channel(args);  // the same limits as a worker's channel over TCP
    return std::make_shared<master_channel>(server_->InProcessChannel(args));
}

void coordinator_server::shutdown() {
    if (!server_) return;
    service_->streams.stop_accepting();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    service_->streams.queue->Shutdown();  // the driver runs every stream's last completions, then ends
    service_->driver.join();
    server_->Wait();
    server_.reset();
}

}  // namespace stampede::wire
