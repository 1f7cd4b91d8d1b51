// An HTTP user: the protocol-free user runtime speaking through one keep-alive connection
// per host its steps send to, plain or TLS as the host's scheme says, and a WebSocket per
// host its WebSocket steps use.
#include "worker/http_user.hpp"

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "worker/http_exchange.hpp"
#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/user_runtime.hpp"
#include "worker/ws_connection.hpp"

namespace stampede::worker {

namespace asio = boost::asio;

namespace {

std::unique_ptr<host_connection> make_connection(io_thread& thread, const target& to) {
    if (to.tls) return std::make_unique<http_exchange<tls_stream>>(thread);
    return std::make_unique<http_exchange<asio::ip::tcp::socket>>(thread);
}

// `FirstStream` is the stream of the host the class's first step sends to: that connection
// is part of the user itself, so a user of one host is one allocation (what most are). The
// connections to any other hosts its steps name are made with the user too, so a user's
// long-lived parts lie together in the heap rather than between the short-lived frames of
// requests in flight (which would keep the heap from shrinking once those end).
template <class FirstStream>
class http_user final : public user_runtime {
public:
    http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
              std::uint64_t seed)
        : user_runtime(thread, std::move(scenario), class_index, seed), first_(thread) {
        const auto& targets = scenario_->classes[static_cast<std::size_t>(class_index)].targets;
        first_target_ = targets.front();
        for (std::size_t i = 1; i < targets.size(); ++i)
            others_.push_back({targets[i], make_connection(thread, scenario_->targets[targets[i]])});
        last_ = &first_;
        described_ = last_;
        last_target_ = first_target_;
    }

    void cut_off() override {
        first_.close();
        for (auto& [target, connection] : others_) connection->close();
        for (auto& [target, socket] : sockets_) socket->close();
        wake();
    }

private:
    asio::awaitable<exchange_result> exchange(const prepared_step& step) override {
        if (step.spec->ws) {
            described_ = &socket_to(step.target);
            return described_->perform(step, scenario_->targets[step.target], *this);
        }
        if (step.target != last_target_) {  // most users send every step to one host
            last_ = &connection_to(step.target);
            last_target_ = step.target;
        }
        described_ = last_;
        return last_->perform(step, scenario_->targets[step.target], *this);
    }
    void describe_response(lang::response_view& view) override { described_->describe(view); }

    // Made when a WebSocket step first goes to the host.
    host_connection& socket_to(std::size_t target) {
        for (auto& [t, socket] : sockets_)
            if (t == target) return *socket;
        sockets_.push_back({target, make_ws_connection(thread_, scenario_->targets[target])});
        return *sockets_.back().second;
    }

    host_connection& connection_to(std::size_t target) {
        if (target == first_target_) return first_;
        for (auto& [t, connection] : others_)
            if (t == target) return *connection;
        throw std::logic_error("a step sends to a host its class's steps do not name");
    }

    http_exchange<FirstStream> first_;
    std::size_t first_target_ = 0;
    std::vector<std::pair<std::size_t, std::unique_ptr<host_connection>>> others_;
    host_connection* last_ = nullptr;  // the one the last step used
    std::size_t last_target_ = 0;
    std::vector<std::pair<std::size_t, std::unique_ptr<host_connection>>> sockets_;  // WebSockets, by host
    host_connection* described_ = nullptr;  // the connection of the last step, whose response checks read
};

}  // namespace

void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed) {
    const auto& cls = scenario->classes[static_cast<std::size_t>(class_index)];
    if (scenario->targets[cls.targets.front()].tls)
        start_user(thread, std::make_unique<http_user<tls_stream>>(thread, std::move(scenario), class_index, seed));
    else
        start_user(thread, std::make_unique<http_user<asio::ip::tcp::socket>>(thread, std::move(scenario), class_index, seed));
}

}  // namespace stampede::worker
