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

std::unique_ptr<host_connection> make_connection(io_thread& thread, const resolved_host& to) {
    if (to.tls) return std::make_unique<http_exchange<tls_stream>>(thread);
    return std::make_unique<http_exchange<plain_stream>>(thread);
}

// `FirstStream` is the stream of the host the class's first HTTP step sends to: that
// connection is part of the user itself, so a user of one host is one allocation (what most
// are). Connections to any other hosts, and WebSockets, are made with the user too, so a
// user's long-lived parts lie together in the heap rather than between the short-lived
// frames of requests in flight (which would keep the heap from shrinking once those end);
// most users have none, and pay a pointer for them.
template <class FirstStream>
class http_user final : public user_runtime {
public:
    http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
              std::uint64_t seed)
        : user_runtime(thread, std::move(scenario), class_index, seed), first_(thread) {
        const auto& cls = scenario_->classes[static_cast<std::size_t>(class_index)];
        first_target_ = cls.targets.empty() ? no_target : static_cast<std::uint32_t>(cls.targets.front());
        last_target_ = first_target_;
        for (std::size_t i = 1; i < cls.targets.size(); ++i) add(cls.targets[i], false);
        for (const auto target : cls.ws_targets) add(target, true);
    }

    void cut_off() override {
        first_.close();
        if (extras_)
            for (auto& extra : *extras_) extra.connection->close();
        wake();
    }

private:
    static constexpr std::uint32_t no_target = UINT32_MAX;  // a class with WebSocket steps only

    struct extra_connection {
        std::size_t target;
        bool websocket;
        std::unique_ptr<host_connection> connection;
    };

    void add(std::size_t target, bool websocket) {
        if (!extras_) extras_ = std::make_unique<std::vector<extra_connection>>();
        const auto& to = scenario_->targets[target];
        extras_->push_back({target, websocket, websocket ? make_ws_connection(thread_, to) : make_connection(thread_, to)});
    }

    asio::awaitable<exchange_result> exchange(const prepared_step& step) override {
        const auto& to = scenario_->targets[step.target];
        if (step.spec->ws) return extra(step.target, true).perform(step, to, *this);
        if (step.target != last_target_) {  // most users send every step to one host
            last_ = step.target == first_target_ ? &first_ : &extra(step.target, false);
            last_target_ = static_cast<std::uint32_t>(step.target);
        }
        return last_->perform(step, to, *this);
    }

    host_connection& extra(std::size_t target, bool websocket) {
        if (extras_)
            for (auto& e : *extras_)
                if (e.target == target && e.websocket == websocket) return *e.connection;
        throw std::logic_error("a step sends to a host its class's steps do not name");
    }

    http_exchange<FirstStream> first_;
    host_connection* last_ = &first_;       // the HTTP connection the last HTTP step used
    std::uint32_t first_target_ = 0, last_target_ = 0;
    std::unique_ptr<std::vector<extra_connection>> extras_;
};

}  // namespace

void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed) {
    const auto& cls = scenario->classes[static_cast<std::size_t>(class_index)];
    if (!cls.targets.empty() && scenario->targets[cls.targets.front()].tls)
        start_user(thread, std::make_unique<http_user<tls_stream>>(thread, std::move(scenario), class_index, seed));
    else
        start_user(thread, std::make_unique<http_user<plain_stream>>(thread, std::move(scenario), class_index, seed));
}

}  // namespace stampede::worker
