// An HTTP user: the protocol-free user runtime speaking through one keep-alive connection
// per host its steps send to, plain or TLS as the host's scheme says.
#include "worker/http_user.hpp"

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without it
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include "worker/http_exchange.hpp"
#include "worker/io_thread.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/user_runtime.hpp"

namespace stampede::worker {

namespace asio = boost::asio;

namespace {

class http_user final : public user_runtime {
public:
    http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
              std::uint64_t seed)
        : user_runtime(thread, std::move(scenario), class_index, seed) {}

    void cut_off() override {
        for (auto& c : connections_)
            if (c) c->close();
        wake();
    }

private:
    asio::awaitable<exchange_result> exchange(const prepared_step& step) override {
        const auto& to = scenario_->targets[step.target];
        if (!last_ || step.target != last_target_) {  // most users send every step to one host
            last_ = &connection_to(step.target, to);
            last_target_ = step.target;
        }
        return last_->perform(step, to, *this);
    }
    void describe_response(lang::response_view& view) override { last_->describe(view); }

    // Made when a step first sends to the host: most users talk to one.
    http_connection& connection_to(std::size_t target, const struct target& to) {
        if (connections_.size() <= target) connections_.resize(target + 1);
        auto& slot = connections_[target];
        if (!slot) {
            if (to.tls) slot = std::make_unique<http_exchange<tls_stream>>(thread_);
            else slot = std::make_unique<http_exchange<asio::ip::tcp::socket>>(thread_);
        }
        return *slot;
    }

    std::vector<std::unique_ptr<http_connection>> connections_;  // by target index
    http_connection* last_ = nullptr;                            // the one the last step used
    std::size_t last_target_ = 0;
};

}  // namespace

void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed) {
    start_user(thread, std::make_unique<http_user>(thread, std::move(scenario), class_index, seed));
}

}  // namespace stampede::worker
