#include "report/csv_reporter.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace stampede;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("csv fields are quoted as Python's csv module quotes them", "[csv]") {
    CHECK(report::csv_field("plain") == "plain");
    CHECK(report::csv_field("a,b") == "\"a,b\"");
    CHECK(report::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(report::csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("csv files carry Locust's headers and rows", "[csv]") {
    report::run_result result;
    result.endpoints = {{"GET", "/a, with comma"}, {"POST", "unused"}};
    result.start = report::wall_clock::now();
    result.end = result.start + std::chrono::seconds(2);
    result.totals = stats::stats_delta(2);
    result.totals.endpoints[0].record(1500, 100, false);
    result.totals.endpoints[0].record(2500, 100, true);
    result.totals.add_error({0, stats::error_kind::http_status, 503}, "HTTP 503 (expected 200)");
    result.aggregate = result.totals.merged_endpoints();  // as the aggregator keeps it

    const auto prefix = (std::filesystem::temp_directory_path() / "stampede-csv-test").string();
    REQUIRE(report::write_csv_files(result, prefix).ok());
    const auto stats = slurp(prefix + "_stats.csv");
    CHECK(stats ==
          "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
          "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
          "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\r\n"
          "GET,\"/a, with comma\",2,1,1.5,2,1.5,2.5,100,1,0.5,1.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5\r\n"
          ",Aggregated,2,1,1.5,2,1.5,2.5,100,1,0.5,1.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5,2.5\r\n");
    CHECK(slurp(prefix + "_failures.csv") ==
          "Method,Name,Error,Occurrences\r\nGET,\"/a, with comma\",HTTP 503 (expected 200),1\r\n");
    CHECK(slurp(prefix + "_exceptions.csv") == "Count,Message,Traceback,Nodes\r\n");
    CHECK(slurp(prefix + "_stats_history.csv") ==
          "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,"
          "99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,"
          "Total Average Response Time,Total Min Response Time,Total Max Response Time,"
          "Total Average Content Size\r\n");
    for (auto suffix : {"_stats.csv", "_failures.csv", "_exceptions.csv", "_stats_history.csv"})
        std::filesystem::remove(prefix + suffix);
}

TEST_CASE("an unwritable prefix is reported", "[csv]") {
    report::run_result result;
    CHECK(report::write_csv_files(result, "/nonexistent-dir/x").error() ==
          "cannot write /nonexistent-dir/x_stats.csv: No such file or directory");
}
