// The text exposition reader on what services write: families and their types, labels and
// their escapes, the values Prometheus allows; and on what they should not: each problem at
// its line and column, each limit a clear error.
#include "watch/exposition_reader.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

using namespace stampede::watch;

namespace {

struct kept_sample {
    std::string name, family;
    metric_type type;
    std::vector<std::pair<std::string, std::string>> labels;
    double value;
};

std::vector<kept_sample> read(const std::string& text, const exposition_limits& limits = {}) {
    std::vector<kept_sample> out;
    const auto ok = read_exposition(text, limits, [&](const exposition_sample& s) {
        kept_sample k{std::string(s.name), std::string(s.family), s.type, {}, s.value};
        for (const auto& [n, v] : s.labels) k.labels.emplace_back(n, v);
        out.push_back(std::move(k));
    });
    REQUIRE(ok);
    return out;
}

std::string problem(const std::string& text, const exposition_limits& limits = {}) {
    const auto ok = read_exposition(text, limits, [](const exposition_sample&) {});
    REQUIRE_FALSE(ok);
    return ok.error();
}

}  // namespace

TEST_CASE("an exposition's samples come with their family, its type and their labels", "[exposition]") {
    const auto samples = read(
        "# HELP modular_requests_total Requests served.\n"
        "# TYPE modular_requests_total counter\n"
        "modular_requests_total{route=\"/solve\",code=\"200\"} 1027\n"
        "modular_requests_total{route=\"/solve\",code=\"500\"} 3 1700000000000\n"
        "\n"
        "# TYPE modular_active_executions gauge\n"
        "modular_active_executions 12.5\n"
        "# TYPE modular_request_duration_seconds histogram\n"
        "modular_request_duration_seconds_bucket{le=\"0.5\"} 900\n"
        "modular_request_duration_seconds_bucket{le=\"+Inf\"} 1030\n"
        "modular_request_duration_seconds_sum 312.25\n"
        "modular_request_duration_seconds_count 1030\n"
        "# TYPE rpc_latency summary\n"
        "rpc_latency{quantile=\"0.99\"} NaN\n"
        "rpc_latency_count 0\n"
        "process_resident_memory_bytes 2.4576e+07\n");
    REQUIRE(samples.size() == 10);
    CHECK(samples[0].family == "modular_requests_total");
    CHECK(samples[0].type == metric_type::counter);
    CHECK(samples[0].labels == std::vector<std::pair<std::string, std::string>>{{"route", "/solve"}, {"code", "200"}});
    CHECK(samples[0].value == 1027);
    CHECK(samples[1].value == 3);  // the timestamp is not the value
    CHECK(samples[2].type == metric_type::gauge);
    CHECK(samples[2].value == 12.5);
    CHECK(samples[3].name == "modular_request_duration_seconds_bucket");
    CHECK(samples[3].family == "modular_request_duration_seconds");
    CHECK(samples[3].type == metric_type::histogram);
    CHECK(samples[5].family == "modular_request_duration_seconds");
    CHECK(samples[6].type == metric_type::histogram);
    CHECK(std::isnan(samples[7].value));
    CHECK(samples[7].type == metric_type::summary);
    CHECK(samples[8].family == "rpc_latency");
    CHECK(samples[9].type == metric_type::untyped);
    CHECK(samples[9].value == 24576000);
}

TEST_CASE("label values are unescaped, and the format's other allowances are read", "[exposition]") {
    const auto samples = read(
        "  a{path=\"/x\\\"y\\\\z\\nw\", empty=\"\",} +Inf\r\n"
        "b{} -Inf\n"
        "c 1e400\n"
        "d 7 # {trace_id=\"abc\"} 1.0\n"
        "# EOF\n"
        "not read at all\n");
    REQUIRE(samples.size() == 4);
    CHECK(samples[0].labels == std::vector<std::pair<std::string, std::string>>{{"path", "/x\"y\\z\nw"}, {"empty", ""}});
    CHECK(samples[0].value == INFINITY);
    CHECK(samples[1].value == -INFINITY);
    CHECK(samples[2].value == INFINITY);
    CHECK(samples[3].value == 7);
}

TEST_CASE("a line that breaks the format is refused at its line and column", "[exposition]") {
    CHECK(problem("<html><body>Not found</body></html>\n") == "line 1, column 1: expected a metric name");
    CHECK(problem("ok 1\nbad{route \"x\"} 1\n") == "line 2, column 11: expected '=' after a label name");
    CHECK(problem("m{route=\"x} 1\n") == "line 1, column 9: a label value is not closed with '\"'");
    CHECK(problem("m{a=\"1\" b=\"2\"} 1\n") == "line 1, column 9: expected ',' or '}' after a label");
    CHECK(problem("m{a=\"1\"\n") == "line 1, column 8: expected ',' or '}' after a label");
    CHECK(problem("m{a=\"1\",\n") == "line 1, column 9: the labels are not closed with '}'");
    CHECK(problem("m twelve\n") == "line 1, column 3: expected a number after the metric and its labels");
    CHECK(problem("m 1 2 3\n") == "line 1, column 7: expected the end of the line");
    CHECK(problem("m ++1\n") == "line 1, column 3: expected a number after the metric and its labels");
    CHECK(problem("# TYPE 9bad counter\n") == "line 1, column 8: a TYPE line without a metric name");
    CHECK(problem("m{zone=\"a\",shard=\"1\",zone=\"b\"} 1\n") == "line 1, column 22: label 'zone' twice on one sample");
}

TEST_CASE("an answer past a limit is refused, saying which", "[exposition]") {
    exposition_limits small;
    small.max_bytes = 64;
    small.max_line = 20;
    small.max_samples = 3;
    small.max_labels = 2;
    CHECK(problem(std::string(65, '#'), small) == "65 bytes, more than the 64 read of one answer");
    CHECK(problem("a 1\nthis_line_is_too_long_to_read 1\n", small) == "line 2, column 1: a line of 31 bytes, more than 20");
    CHECK(problem("a 1\nb 2\nc 3\nd 4\n", small) == "line 4, column 1: more than 3 samples in one answer");
    CHECK(problem("m{a=\"\",b=\"\",c=\"\"} 1", small) == "line 1, column 13: more than 2 labels on one sample");
}
