// No text from a target, a worker or a file reaches a terminal raw: escape sequences that set
// the title, write the clipboard or forge a console line arrive escaped in the console's tables
// and in the logs (cli/safe_terminal, common/terminal_text).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/integration/hostile_server.hpp"
#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string forged = "\x1b]0;TITLE\x07\x1b]52;c;aGVsbG8=\x07\x1b[2K\rFAKE: all thresholds passed\xE2\x80\xAE";

// No byte that would steer a terminal: ESC, BEL, CR, or the C1 and bidirectional controls.
void check_terminal_safe(const std::string& text) {
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find("\xE2\x80\xAE") == std::string::npos);
}

}  // namespace

TEST_CASE("a JSON-RPC error message with escape sequences reaches the console escaped", "[terminal]") {
    const auto answer = json{{"jsonrpc", "2.0"}, {"id", 1}, {"error", {{"code", -32000}, {"message", forged}}}}.dump();
    hostile_server server([&](hostile_connection& c) {
        while (!c.read_request().empty())
            if (!c.write(http_ok(answer, "application/json"))) return;
    });
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + server.url() + R"(
user_classes:
  - wait_time: 100ms
    tasks: [{name: solve, path: /rpc, jsonrpc: {method: modular.solve, params: {q: 1}}}]
)");
    const auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "1", "-r", "10", "-t", "1s"});
    CHECK(run.code == 1);
    check_terminal_safe(run.out);
    check_terminal_safe(run.err);
    CHECK(run.out.find("\\u001B]0;TITLE\\u0007") != std::string::npos);  // shown, escaped
    CHECK(run.out.find("\\u000DFAKE: all thresholds passed\\u202E") != std::string::npos);
}

TEST_CASE("a worker's name with escape sequences reaches the master's log escaped, refused or not", "[terminal]") {
    demo_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.url() + "\nuser_classes:\n  - tasks: [{path: /ok}]\n");
    int port = 0;
    auto master = start_master({"-f", dir.file("s.yaml"), "--token", "s3cret-token", "-u", "1", "-t", "1s",
                                "--expect-workers", "1", "--expect-workers-max-wait", "20s"}, port);
    auto refused = start_worker(port, forged, {"--token", "guess"});
    CHECK(refused->wait(15s) == 4);
    auto admitted = start_worker(port, forged, {"--token", "s3cret-token"});
    CHECK(master->wait(30s) == 0);
    CHECK(admitted->wait(15s) == 0);
    const auto log = master->err() + master->out();
    INFO(log);
    check_terminal_safe(log);
    check_terminal_safe(refused->err());
    CHECK(log.find("\\u001B]0;TITLE") != std::string::npos);
}
