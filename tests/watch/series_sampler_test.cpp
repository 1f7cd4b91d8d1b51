// Watched series read from real exposition text: selectors and readings parsed, each scrape
// summed over the series that match, and each kind of reading over an interval, counter resets
// and missing series included.
#include "watch/series_sampler.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace stampede::watch;

namespace {

series_query query(const std::string& selector, const std::string& how = {}) {
    auto q = parse_selector(selector);
    REQUIRE(q.ok());
    if (!how.empty()) REQUIRE(parse_reading(how, *q));
    return *q;
}

std::vector<series_scrape> scrape(const std::vector<series_query>& queries, const std::string& text) {
    series_sampler sampler(queries);
    REQUIRE(read_exposition(text, {}, [&](const exposition_sample& s) { sampler.take(s); }));
    return sampler.finish();
}

const std::string counters_at(int ok, int failed) {
    return "# TYPE modular_requests_total counter\n"
           "modular_requests_total{route=\"/solve\",code=\"200\"} " + std::to_string(ok) + "\n"
           "modular_requests_total{route=\"/solve\",code=\"500\"} " + std::to_string(failed) + "\n"
           "modular_requests_total{route=\"/health\",code=\"200\"} 5000\n"
           "# TYPE modular_active_executions gauge\n"
           "modular_active_executions 7\n";
}

const std::string histogram_at(int b1, int b2, int b3, double sum) {
    return "# TYPE d histogram\n"
           "d_bucket{le=\"0.1\"} " + std::to_string(b1) + "\n"
           "d_bucket{le=\"0.5\"} " + std::to_string(b2) + "\n"
           "d_bucket{le=\"1\"} " + std::to_string(b3) + "\n"
           "d_bucket{le=\"+Inf\"} " + std::to_string(b3) + "\n"
           "d_sum " + std::to_string(sum) + "\n"
           "d_count " + std::to_string(b3) + "\n";
}

}  // namespace

TEST_CASE("selectors and readings are read as Prometheus writes them, or refused at their column", "[watch]") {
    const auto q = query(R"(modular_requests_total{route="/solve", code!="500"})", "rate");
    CHECK(q.metric == "modular_requests_total");
    REQUIRE(q.labels.size() == 2);
    CHECK(q.labels[0].name == "route");
    CHECK(q.labels[0].value == "/solve");
    CHECK(q.labels[1].equal == false);
    CHECK(q.read == reading::rate);
    CHECK(query("d", "p99.9").quantile == Approx(0.999));
    auto refused = [](std::string_view text) {
        std::size_t at = 999;
        auto q = parse_selector(text, &at);
        REQUIRE_FALSE(q.ok());
        return "column " + std::to_string(at + 1) + ": " + q.error();
    };
    CHECK(refused(R"({code="200"})") == "column 1: expected a metric name");
    CHECK(refused(R"(m{a=~"x"})") ==
          "column 4: regular-expression matchers (=~, !~) are not supported: name each value with = or !=");
    CHECK(refused(R"(m{a="1")") == "column 8: expected ',' or '}' after a label");
    CHECK(refused(R"(m{a="1",)") == "column 9: the labels are not closed with '}'");
    CHECK(refused("m x") == "column 3: expected the end of the selector");
    series_query ignored;
    CHECK(parse_reading("p0", ignored).error() == "'p0': a percentile is p followed by a number between 0 and 100, as p95");
    CHECK_FALSE(parse_reading("median", ignored));
}

TEST_CASE("a counter reads as a rate summed over the labels left out, a gauge as its value", "[watch]") {
    const std::vector<series_query> queries = {query(R"(modular_requests_total{route="/solve"})"),
                                               query("modular_active_executions"),
                                               query(R"(modular_requests_total{code="404"})")};
    const auto before = scrape(queries, counters_at(100, 10));
    const auto after = scrape(queries, counters_at(280, 30));
    CHECK(*interval_value(queries[0], before[0], after[0], 2.0) == Approx(100.0));  // (310 - 110) / 2 s
    CHECK(*interval_value(queries[1], before[1], after[1], 2.0) == Approx(7.0));
    CHECK_FALSE(interval_value(queries[2], before[2], after[2], 2.0));  // no series matched
    CHECK_FALSE(interval_value(queries[0], series_scrape{}, after[0], 2.0));  // a rate needs two scrapes
    const auto restarted = scrape(queries, counters_at(40, 0));
    CHECK(*interval_value(queries[0], after[0], restarted[0], 2.0) == Approx(20.0));  // reset: counted from zero
}

TEST_CASE("a histogram reads as the quantile or the average of the interval's observations", "[watch]") {
    const std::vector<series_query> queries = {query("d", "p50"), query("d"), query("d", "p99")};
    const auto before = scrape(queries, histogram_at(10, 20, 30, 10.0));
    const auto after = scrape(queries, histogram_at(10, 60, 130, 70.0));
    // The interval's buckets: 0, 40, 100 observations up to 0.1, 0.5 and 1 s. The 50th of 100
    // lies a sixth into the (0.5, 1] bucket.
    CHECK(*interval_value(queries[0], before[0], after[0], 1.0) == Approx(0.5 + 0.5 * 10.0 / 60.0));
    CHECK(*interval_value(queries[1], before[1], after[1], 1.0) == Approx(0.6));  // 60 s over 100 observations
    CHECK(*interval_value(queries[2], before[2], after[2], 1.0) == Approx(0.5 + 0.5 * 59.0 / 60.0));
    const auto idle = scrape(queries, histogram_at(10, 60, 130, 70.0));
    CHECK_FALSE(interval_value(queries[1], after[1], idle[1], 1.0));  // no observations: no average
    CHECK_FALSE(interval_value(queries[0], after[0], idle[0], 1.0));
}

TEST_CASE("a summary reads as its own quantile or as its average", "[watch]") {
    const std::string text = "# TYPE rpc summary\n"
                             "rpc{quantile=\"0.5\"} 0.2\n"
                             "rpc{quantile=\"0.99\"} 0.9\n"
                             "rpc_sum 30\n"
                             "rpc_count 100\n";
    const std::vector<series_query> queries = {query("rpc", "p99"), query("rpc")};
    const auto now = scrape(queries, text);
    CHECK(*interval_value(queries[0], {}, now[0], 1.0) == Approx(0.9));
    CHECK(*interval_value(queries[1], {}, now[1], 1.0) == Approx(0.3));  // since the service began
}

TEST_CASE("many selectors of one family each sum exactly the samples they match, whatever their matchers", "[watch]") {
    std::string text = "# TYPE q gauge\n";
    for (int shard = 0; shard < 50; ++shard)
        for (const char* zone : {"a", "b"})
            text += "q{shard=\"" + std::to_string(shard) + "\",zone=\"" + zone + "\"} " + std::to_string(shard) + "\n";
    text += "q{zone=\"a\"} 1000\n";  // no shard: reads as shard=""
    std::vector<series_query> queries;
    for (int shard = 0; shard < 50; ++shard) queries.push_back(query("q{shard=\"" + std::to_string(shard) + "\"}"));
    queries.push_back(query("q{zone=\"b\",shard=\"7\"}"));   // indexed under zone, checked whole
    queries.push_back(query("q{shard!=\"7\",zone=\"a\"}"));  // a `!=` first: indexed under zone
    queries.push_back(query("q{shard!=\"0\"}"));             // no equality: tried on every sample
    queries.push_back(query("q{shard=\"\"}"));               // the samples without a shard
    queries.push_back(query("q"));
    const auto s = scrape(queries, text);
    for (int shard = 0; shard < 50; ++shard) CHECK(s[shard].value == 2 * shard);
    CHECK(s[50].value == 7);
    CHECK(s[51].value == 1225 - 7 + 1000);     // zone a, every shard but 7, and the one without
    CHECK(s[52].value == 2 * 1225 + 1000);     // every shard but 0 (which adds 0), and the one without
    CHECK(s[53].value == 1000);
    CHECK(s[54].value == 2 * 1225 + 1000);
}
