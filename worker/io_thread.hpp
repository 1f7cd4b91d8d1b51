#pragma once
// One load thread: its own io_context, its own users and its own stats shard. Threads share
// nothing; the engine reaches a thread only by posting work onto its io_context.
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/intrusive/list.hpp>
#include <thread>
#include <vector>

#include "stats/stats_delta.hpp"

namespace stampede::worker {

// What the thread needs to steer a user it runs, whatever protocol the user speaks.
class user_handle
    : public boost::intrusive::list_base_hook<
          boost::intrusive::link_mode<boost::intrusive::auto_unlink>> {
public:
    explicit user_handle(int class_index) : class_index_(class_index) {}
    virtual ~user_handle() = default;
    int class_index() const { return class_index_; }
    bool retiring() const { return retiring_; }
    // Ask the user to end after its current request; wakes it from think time.
    void retire() {
        retiring_ = true;
        wake();
    }
    // Close the user's connections now: a request in flight fails and counts as cancelled.
    virtual void cut_off() = 0;

protected:
    virtual void wake() = 0;

private:
    int class_index_;
    bool retiring_ = false;
};

class iteration_gate;

using user_list =
    boost::intrusive::list<user_handle, boost::intrusive::constant_time_size<false>>;

struct io_thread {
    io_thread(std::size_t endpoint_count, std::size_t check_count, std::size_t class_count = 0)
        : shard(endpoint_count, check_count, class_count), spare(endpoint_count, check_count, class_count) {}

    // One thread runs the context and only it touches the sockets: Asio may skip the reactor's
    // per-socket locks. Other threads only post to it, which stays safe.
    boost::asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
    stats::stats_delta shard;  // written only by this thread
    stats::stats_delta spare;  // swapped with shard at each take_delta
    user_list users;
    // Per user class, what its users wait on before each iteration on this thread (owned by
    // the engine): its think time, or its arrival pacer.
    std::vector<iteration_gate*> gates;
    iteration_gate& gate_of(int class_index) const { return *gates[static_cast<std::size_t>(class_index)]; }
    bool cutting_off = false;   // a forced stop: failures now are cancellations
    std::atomic<int> alive{0};  // users not yet ended, read by the engine while stopping
    std::thread runner;
};

}  // namespace stampede::worker
