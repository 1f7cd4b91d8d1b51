// A target cannot make a worker send requests nobody wrote: a value it returns, or a data
// file's field, holding a line break is refused where a template renders it into a path or a
// header (a failure of kind `request`, nothing written), and `validate` refuses such text
// written in the scenario with its line and column. Spaces and controls in a rendered path are
// percent-encoded.
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>

#include "tests/integration/hostile_server.hpp"
#include "tests/integration/process.hpp"

using namespace stampede::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string injection = "abc\r\nX-Injected: yes\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: victim";

// Every request head the server read, and answers: /token gives `token` as JSON, all else 200.
struct recording_target {
    std::mutex mutex;
    std::vector<std::string> requests;
    hostile_server server{[this](hostile_connection& c) {
        for (;;) {
            const auto request = c.read_request(5s);
            if (request.empty()) return;
            {
                std::lock_guard lock(mutex);
                requests.push_back(request);
            }
            const bool token = request.starts_with("GET /token ");
            if (!c.write(http_ok(token ? json{{"token", injection}, {"spaced", "a b\tc"}}.dump() : "ok",
                                 token ? "application/json" : "text/plain")))
                return;
        }
    }};
    std::string all() {
        std::lock_guard lock(mutex);
        std::string out;
        for (const auto& r : requests) out += r + "\n----\n";
        return out;
    }
};

std::uint64_t errors_of_kind(const json& doc, const std::string& kind, int code) {
    std::uint64_t n = 0;
    for (const auto& e : doc["errors"])
        if (e["kind"] == kind && e["code"] == code) n += e["occurrences"].get<std::uint64_t>();
    return n;
}

}  // namespace

TEST_CASE("a value extracted from a response cannot inject a header or a second request", "[injection]") {
    recording_target target;
    temp_dir dir;
    write_file(dir.file("s.yaml"), "host: " + target.server.url() + R"(
user_classes:
  - wait_time: 50ms
    on_start:
      - {name: token, path: /token, extract: {token: token, spaced: spaced}}
    tasks:
      - {name: log, path: "/log/{{ token }}"}
      - {name: header, path: /plain, headers: {X-Token: "{{ token }}"}}
      - {name: spaced, path: "/find/{{ spaced }}"}
)");
    const auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "1", "-r", "10", "-t", "2s", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    REQUIRE(run.code == 1);  // requests failed
    const auto doc = json::parse(read_file(dir.file("r.json")));
    const auto seen = target.all();
    INFO(seen);
    CHECK(seen.find("smuggled") == std::string::npos);
    CHECK(seen.find("X-Injected") == std::string::npos);
    CHECK(seen.find("GET /log/") == std::string::npos);  // never sent
    CHECK(seen.find("X-Token") == std::string::npos);
    CHECK(seen.find("GET /find/a%20b%09c HTTP/1.1") != std::string::npos);  // encoded, sent
    const auto path_refused = errors_of_kind(doc, "request", 1);
    const auto header_refused = errors_of_kind(doc, "request", 2);
    CHECK(path_refused > 0);
    CHECK(header_refused > 0);
    // Every refused request is counted as a failed request; the server saw only the others.
    CHECK(doc["totals"]["requests"].get<std::uint64_t>() == target.requests.size() + path_refused + header_refused);
    for (const auto& e : doc["errors"])
        if (e["kind"] == "request") CHECK(e["message"].get<std::string>().find("line break or NUL") != std::string::npos);
}

TEST_CASE("a data file's field with a line break is refused in a path, its other rows sent", "[injection]") {
    recording_target target;
    temp_dir dir;
    write_file(dir.file("ids.csv"), "id\nfine\n\"two\r\nX-Injected: yes\"\nalso-fine\n");
    write_file(dir.file("s.yaml"), "host: " + target.server.url() + R"(
data: {ids: {file: ids.csv}}
user_classes:
  - wait_time: 20ms
    tasks:
      - {name: item, path: "/item/{{ data.ids.id }}", headers: {X-Id: "{{ data.ids.id }}"}}
)");
    const auto run = run_stampede({"run", "-f", dir.file("s.yaml"), "-u", "1", "-r", "10", "-t", "1s", "--json", dir.file("r.json")});
    INFO(run.out << run.err);
    const auto doc = json::parse(read_file(dir.file("r.json")));
    const auto seen = target.all();
    CHECK(seen.find("X-Injected") == std::string::npos);
    CHECK(seen.find("GET /item/fine HTTP/1.1") != std::string::npos);
    CHECK(seen.find("GET /item/also-fine HTTP/1.1") != std::string::npos);
    CHECK(errors_of_kind(doc, "request", 1) > 0);
}

TEST_CASE("validate refuses line breaks, NUL and spaces written in paths and header values, at their line and column",
          "[injection]") {
    temp_dir dir;
    write_file(dir.file("s.yaml"), R"(host: http://127.0.0.1:9
headers: {X-Scenario: "a\r\nX-Injected: yes"}
user_classes:
  - tasks:
      - {name: spaced, path: /a b}
      - {name: broken, path: "/a\r\nHost: victim"}
      - {name: nul, path: "/a\0b"}
      - {name: header, path: /ok, headers: {X-Mine: "x\ny"}}
      - {name: name, path: /ok, headers: {"Bad Name": x}}
      - {name: ws, ws: connect, path: "/ws\nx"}
)");
    const auto out = run_stampede({"validate", "-f", dir.file("s.yaml")});
    CHECK(out.code == 2);
    INFO(out.err);
    CHECK(out.err.find("s.yaml:2:23: header 'X-Scenario': a header value cannot hold a carriage return (CR)") != std::string::npos);
    CHECK(out.err.find("s.yaml:5:30: a path cannot hold a space (write a space as %20)") != std::string::npos);
    CHECK(out.err.find("s.yaml:6:30: a path cannot hold a carriage return (CR)") != std::string::npos);
    CHECK(out.err.find("s.yaml:7:27: a path cannot hold a NUL byte") != std::string::npos);
    CHECK(out.err.find("s.yaml:8:53: header 'X-Mine': a header value cannot hold a line feed (LF)") != std::string::npos);
    CHECK(out.err.find("s.yaml:9:43: a header name is letters, digits") != std::string::npos);
    CHECK(out.err.find("s.yaml:10:39: a path cannot hold a line feed (LF)") != std::string::npos);
}
