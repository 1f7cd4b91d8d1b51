#include "cli/local_cluster.hpp"

#include <thread>
#include <vector>

#include "worker/worker_agent.hpp"

namespace stampede::cli {

namespace {

class agents final : public master::local_workers {
public:
    agents(std::shared_ptr<wire::master_channel> channel, int count, int threads, const std::string& token) {
        const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        for (int i = 0; i < count; ++i) {
            worker::agent_options a;
            a.name = "local-" + std::to_string(i + 1);
            a.threads = threads > 0 ? threads : std::max(1, cores / count);
            a.token = token;
            agents_.push_back(std::make_unique<worker::worker_agent>(a, channel));
        }
        for (auto& agent : agents_) threads_.emplace_back([&a = *agent] { a.run(); });
    }
    ~agents() override {
        for (auto& agent : agents_) agent->stop();
        for (auto& t : threads_) t.join();
    }

private:
    std::vector<std::unique_ptr<worker::worker_agent>> agents_;
    std::vector<std::thread> threads_;
};

}  // namespace

master::local_workers_factory local_worker_agents(int count, int threads, const std::string& token) {
    return [=](std::shared_ptr<wire::master_channel> channel) -> std::unique_ptr<master::local_workers> {
        return std::make_unique<agents>(std::move(channel), count, threads, token);
    };
}

}  // namespace stampede::cli
