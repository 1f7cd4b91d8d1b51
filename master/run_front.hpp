#pragma once
// What the run asks of its web side, whatever serves it: the seam between the master's run
// and the live library (live/web_front: the live page, the REST API and /metrics), which the
// command line hands the run as a factory, as it hands it its local workers. The master
// knows nothing of HTTP; the web side watches the run as an observer of its loop.
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "common/duration.hpp"
#include "common/result.hpp"
#include "master/cluster.hpp"
#include "master/result_model.hpp"
#include "master/run_loop.hpp"
#include "master/start_request.hpp"

namespace stampede::master {

struct web_options;

class run_front {
public:
    virtual ~run_front() = default;
    // Listens, and says where on the console; or why it cannot.
    virtual common::status listen(std::ostream& console) = 0;
    // Serves until `count` workers are active (true), `max_wait` passed (0: no limit) or a
    // worker cannot run the scenario (false), or a signal came (false, and `interrupted`).
    virtual bool await_workers(int count, common::micros max_wait, bool& interrupted) = 0;
    // Serves until a start comes from the page (returned) or a signal (none).
    virtual std::optional<start_request> await_start(std::ostream& console) = 0;
    // The run begins: the page and the API say so from now on.
    virtual void run_begins() = 0;
    // Serves on for `how_long` (none: until SIGINT or SIGTERM), then closes.
    virtual void linger(std::optional<common::micros> how_long, std::ostream& console) = 0;
};

// What the page can do to the run, beyond stopping it and resetting its statistics.
struct run_front_hooks {
    std::function<void(int users, double spawn_rate)> steer;     // POST /api/swarm while running
    std::function<common::status(const start_request&)> check;  // a start's classes, before it is taken
    std::function<nlohmann::json()> scenario;                    // GET /api/scenario
};

// What a run's web side is made from: the run loop's io_context (it serves on the loop's
// thread), the web options, the result as it grows, the workers, the loop it observes.
struct run_front_parts {
    boost::asio::io_context& io;
    const web_options& options;
    const run_result& result;
    cluster& workers;
    run_loop& loop;
    const std::string& run_id;
    run_front_hooks hooks;
};

using run_front_factory = std::function<std::unique_ptr<run_front>(run_front_parts parts)>;

}  // namespace stampede::master
