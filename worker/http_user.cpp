// An HTTP user: the protocol-free user runtime speaking through an HTTP exchange over plain
// TCP. A user over TLS would be the same composition with a TLS stream.
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

template <class Stream>
class http_user final : public user_runtime {
public:
    http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario, int class_index,
              std::uint64_t seed)
        : user_runtime(thread, std::move(scenario), class_index, seed), exchange_(thread) {}

    void cut_off() override {
        exchange_.close();
        wake();
    }

private:
    asio::awaitable<exchange_result> exchange(const prepared_step& step) override {
        return exchange_.perform(step, scenario_->targets[step.target], *this);
    }
    void describe_response(lang::response_view& view) override { exchange_.describe(view); }

    http_exchange<Stream> exchange_;
};

}  // namespace

void start_http_user(io_thread& thread, std::shared_ptr<const prepared_scenario> scenario,
                     int class_index, std::uint64_t seed) {
    start_user(thread, std::make_unique<http_user<asio::ip::tcp::socket>>(thread, std::move(scenario), class_index, seed));
}

}  // namespace stampede::worker
