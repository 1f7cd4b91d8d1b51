#include "worker/load_engine.hpp"

#include <system_error>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>
#include <future>
#include <numeric>
#include <random>

#include "worker/arrival_pacer.hpp"
#include "worker/think_gate.hpp"
#include "worker/http_user.hpp"
#include "worker/prepared_scenario.hpp"
#include "worker/io_thread.hpp"
#include "worker/process_usage.hpp"
#include "worker/rng.hpp"
#include "worker/spawn_planner.hpp"

namespace stampede::worker {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Spawn decisions run on a control thread of their own, so a saturated io thread cannot
// delay them; they reach the io threads by posting.
struct load_engine::impl {
    impl(lang::scenario s, engine_options o)
        : sc(std::move(s)), options(o), spawn_timer(control) {
        if (options.threads <= 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
        if (options.seed == 0) options.seed = std::random_device{}() | 1;
        const int classes = static_cast<int>(sc.user_classes.size());
        planner = options.make_scheduler ? options.make_scheduler(classes, options.threads)
                                         : std::make_unique<spawn_planner>(classes, options.threads);
        if (!options.start_user) options.start_user = start_http_user;
    }

    void schedule_tick();
    void carry_out(const spawn_action& action);
    void end_all_users();
    bool wait_for_users(common::micros limit);
    template <typename F>
    void on_thread(io_thread& t, F f) {
        asio::post(t.io, std::move(f));
    }

    lang::scenario sc;
    engine_options options;
    std::shared_ptr<const prepared_scenario> prepared;
    std::vector<std::unique_ptr<io_thread>> threads;
    asio::io_context control{1};
    asio::executor_work_guard<asio::io_context::executor_type> control_work{control.get_executor()};
    std::thread control_runner;
    asio::steady_timer spawn_timer;
    std::unique_ptr<user_scheduler> planner;  // touched only on the control thread
    // Per thread, per class: its iteration gate, a think gate or an arrival pacer (destroyed
    // before the threads' io contexts, whose timers the pacers hold).
    std::vector<std::unique_ptr<iteration_gate>> gates;
    std::vector<std::vector<arrival_pacer*>> pacers;  // per thread, per class: null for a closed class
    std::atomic<std::uint64_t> pacer_seeds{0};
    arrival_share arrivals;  // the last one assigned (control thread)
    void create_gates();
    bool any_open() const;
    void assign_arrivals(arrival_share share);
    void warn_open_pool_files(const arrival_share& share) const;
    std::uint64_t users_started = 0;
    std::uint64_t open_files_limit = 0;
    bool started = false;
};

void load_engine::impl::carry_out(const spawn_action& action) {
    auto& t = *threads[action.thread];
    if (action.type == spawn_action::kind::start) {
        const auto seed = rng::splitmix(options.seed) ^ ++users_started;
        on_thread(t, [&t, p = prepared, c = action.class_index, seed, start = &options.start_user] {
            (*start)(t, p, c, seed);
        });
        return;
    }
    on_thread(t, [&t, c = action.class_index] {
        for (auto& user : t.users) {
            if (user.class_index() == c && !user.retiring()) {
                user.retire();
                return;
            }
        }
    });
}

bool load_engine::impl::any_open() const {
    return std::any_of(sc.user_classes.begin(), sc.user_classes.end(),
                       [](const lang::user_class_spec& c) { return c.arrivals.has_value(); });
}

// A gate per class on each thread: a closed class's think time, or an open class's pacer,
// which grows its pool by starting users of its class on its own thread, as the closed
// model's spawns do.
void load_engine::impl::create_gates() {
    pacers.assign(threads.size(), std::vector<arrival_pacer*>(sc.user_classes.size(), nullptr));
    std::uint64_t made = 0;  // pacers so far: each its own seed
    for (std::size_t i = 0; i < threads.size(); ++i) {
        auto& t = *threads[i];
        for (std::size_t c = 0; c < sc.user_classes.size(); ++c) {
            if (!sc.user_classes[c].arrivals) {
                gates.push_back(std::make_unique<think_gate>(sc.user_classes[c].wait));
            } else {
                // The seed is taken now: the spawn tick advances options.seed on its own thread
                // while pacers grow their pools on theirs.
                auto grow = [this, &t, c, base = options.seed ^ (std::uint64_t{1} << 40)] {
                    std::uint64_t mix = base;
                    const auto seed = rng::splitmix(mix) ^ pacer_seeds.fetch_add(1, std::memory_order_relaxed);
                    options.start_user(t, prepared, static_cast<int>(c), seed);
                };
                std::uint64_t mix = options.seed ^ (0x5851f42d4c957f2dULL * ++made);
                auto pacer = std::make_unique<arrival_pacer>(t, static_cast<int>(c), *sc.user_classes[c].arrivals,
                                                              rng::splitmix(mix), grow);
                pacers[i][c] = pacer.get();
                gates.push_back(std::move(pacer));
            }
            t.gates.push_back(gates.back().get());
        }
    }
}

// Every thread's pacers take their part from now, timed from the class's start as the master
// saw it when it assigned the share.
void load_engine::impl::assign_arrivals(arrival_share share) {
    if (!any_open() || share == arrivals) return;
    if (share.total_threads > 0 && (share.first_thread >= share.total_threads ||
                                    share.total_threads - share.first_thread < threads.size())) {
        spdlog::warn("the master assigned arrival parts {}..{} of {}, which this worker's {} threads cannot take: "
                     "no arrivals until the next assignment",
                     share.first_thread, share.first_thread + threads.size() - 1, share.total_threads, threads.size());
        share = {};
    }
    // No run is older than a duration can say (31 years): a larger age is a damaged message,
    // and would overflow the clock's arithmetic.
    share.elapsed = std::min(share.elapsed, common::micros(1'000'000'000'000'000));
    arrivals = share;
    warn_open_pool_files(share);
    const auto origin = arrival_pacer::clock::now() - share.elapsed;
    for (std::size_t i = 0; i < threads.size(); ++i) {
        const auto part = share.first_thread + static_cast<std::uint32_t>(i);
        on_thread(*threads[i], [&own = pacers[i], part, parts = share.total_threads, origin] {
            for (auto* p : own)
                if (p) p->start(part, parts, origin);
        });
    }
}

// An open class's pool may grow to its part of max_users, each user with a socket: said
// before it happens, as for closed users.
void load_engine::impl::warn_open_pool_files(const arrival_share& share) const {
    if (share.total_threads == 0 || open_files_limit == 0) return;
    std::uint64_t most = 0;
    for (const auto& c : sc.user_classes)
        if (c.arrivals) most += (static_cast<std::uint64_t>(c.arrivals->max_users) + share.total_threads - 1) /
                                share.total_threads * threads.size();
    if (most + 64 > open_files_limit)
        spdlog::warn("the open-model pools may grow to {} users here, but this process may open only {} files: "
                     "users beyond that fail to connect. Lower max_users, raise the limit (ulimit -n) or add workers",
                     most, open_files_limit);
}


void load_engine::impl::schedule_tick() {
    spawn_timer.expires_after(20ms);
    spawn_timer.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        for (const auto& action : planner->tick(user_scheduler::clock::now())) carry_out(action);
        if (!planner->done()) schedule_tick();
    });
}

void load_engine::impl::end_all_users() {
    arrivals = {};
    for (std::size_t i = 0; i < threads.size(); ++i) {
        on_thread(*threads[i], [&t = *threads[i], &own = pacers[i]] {
            for (auto* p : own)
                if (p) p->stop();
            for (auto& user : t.users) user.retire();
        });
    }
}

bool load_engine::impl::wait_for_users(common::micros limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int alive = 0;
        for (auto& t : threads) alive += t->alive.load(std::memory_order_acquire);
        if (alive == 0) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
}

load_engine::load_engine(lang::scenario sc, engine_options options)
    : impl_(std::make_unique<impl>(std::move(sc), options)) {}

load_engine::~load_engine() {
    if (!impl_->started) return;
    stop(common::micros(0));
    impl_->control.stop();
    impl_->control_runner.join();
    for (auto& t : impl_->threads) {
        t->io.stop();
        t->runner.join();
    }
    impl_->gates.clear();  // the pacers' timers belong to the threads' io contexts
}

common::status load_engine::start() {
    auto prepared = prepare_scenario(impl_->sc);
    if (!prepared) return prepared.why();
    impl_->prepared = std::move(*prepared);
    try {
        for (int i = 0; i < impl_->options.threads; ++i) {
            auto t = std::make_unique<io_thread>(impl_->sc.endpoints.size(), impl_->sc.checks.size(),
                                                  impl_->sc.user_classes.size());
            t->runner = std::thread([&io = t->io] { io.run(); });
            impl_->threads.push_back(std::move(t));
        }
        impl_->control_runner = std::thread([this] { impl_->control.run(); });
    } catch (const std::system_error& e) {  // the system's thread limit: a clear error, not an abort
        for (auto& t : impl_->threads) {
            t->io.stop();
            t->runner.join();
        }
        impl_->threads.clear();
        return common::fail("cannot start " + std::to_string(impl_->options.threads) + " load threads: " + e.what());
    }
    impl_->create_gates();
    impl_->open_files_limit = process_usage::raise_open_files_limit();
    impl_->started = true;
    return {};
}

void load_engine::assign(std::vector<int> users_per_class, double spawn_rate, double spawn_phase,
                         arrival_share arrivals) {
    // Each user holds a socket; a few dozen descriptors go to the process itself.
    const auto users = static_cast<std::uint64_t>(std::accumulate(users_per_class.begin(), users_per_class.end(), 0LL));
    const auto limit = impl_->open_files_limit;
    if (limit > 0 && users + 64 > limit)
        spdlog::warn("{} users need as many open files, but this process may open only {}: users beyond that fail "
                     "to connect. Raise the limit (ulimit -n, systemd LimitNOFILE=, docker --ulimit nofile=) or "
                     "spread the users over more workers",
                     users, limit);
    std::promise<void> done;
    asio::post(impl_->control, [&, counts = std::move(users_per_class)]() mutable {
        impl_->spawn_timer.cancel();
        impl_->planner->assign(std::move(counts), spawn_rate, user_scheduler::clock::now(), spawn_phase);
        for (const auto& action : impl_->planner->tick(user_scheduler::clock::now())) impl_->carry_out(action);
        if (!impl_->planner->done()) impl_->schedule_tick();
        impl_->assign_arrivals(arrivals);
        done.set_value();
    });
    done.get_future().wait();
}

void load_engine::stop(common::micros grace) {
    end_users();
    if (impl_->wait_for_users(grace)) return;
    cut_off();
}

void load_engine::end_users() {
    std::promise<void> planned;
    asio::post(impl_->control, [&] {
        impl_->spawn_timer.cancel();
        impl_->planner->clear();
        impl_->end_all_users();
        planned.set_value();
    });
    planned.get_future().wait();
}

bool load_engine::users_ended() const { return impl_->wait_for_users(common::micros(0)); }

void load_engine::cut_off() {
    if (impl_->wait_for_users(common::micros(0))) return;
    for (auto& t : impl_->threads) {
        impl_->on_thread(*t, [&t = *t] {
            t.cutting_off = true;
            for (auto& user : t.users) user.cut_off();
        });
    }
    impl_->wait_for_users(5s);  // closed sockets complete their operations at once
    for (auto& t : impl_->threads) impl_->on_thread(*t, [&t = *t] { t.cutting_off = false; });
}

stats::stats_delta load_engine::take_delta() {
    std::vector<std::future<void>> swapped;
    for (auto& t : impl_->threads) {
        auto promise = std::make_shared<std::promise<void>>();
        swapped.push_back(promise->get_future());
        impl_->on_thread(*t, [&t = *t, promise] {
            std::swap(t.shard, t.spare);
            promise->set_value();
        });
    }
    stats::stats_delta out(impl_->sc.endpoints.size(), impl_->sc.checks.size(), impl_->sc.user_classes.size());
    for (std::size_t i = 0; i < swapped.size(); ++i) {
        swapped[i].wait();
        auto& spare = impl_->threads[i]->spare;  // the thread no longer touches it
        out.merge(spare);
        spare.reset();
    }
    return out;
}

engine_status load_engine::status() const {
    std::promise<engine_status> result;
    asio::post(impl_->control, [&] {
        engine_status s;
        s.users_per_class = impl_->planner->users_per_class();
        s.users = impl_->planner->users();
        // An open class's users are its pools'.
        for (const auto& own : impl_->pacers)
            for (std::size_t c = 0; c < own.size(); ++c)
                if (const auto* p = own[c]) {
                    s.users_per_class[c] += p->pool_size();
                    s.users += p->pool_size();
                }
        s.spawning_complete = impl_->planner->done();
        result.set_value(std::move(s));
    });
    return result.get_future().get();
}

int load_engine::thread_count() const { return impl_->options.threads; }
const lang::scenario& load_engine::plan() const { return impl_->sc; }

}  // namespace stampede::worker
