// The service's Prometheus exposition and the watched series read from it, on any bytes: the
// first line holds up to four selectors (tab-separated), the second how they are read, the rest
// the text, read with small limits so the fuzzer meets them. Whatever the bytes: no crash, no
// more samples or labels handed out than the limits allow, a refusal always says what, a series
// is found exactly when a sample of its family matches it (the sampler's index against a plain
// comparison), and a series read over an interval is a number or nothing.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_bytes.hpp"
#include "watch/exposition_reader.hpp"
#include "watch/series_sampler.hpp"

using namespace stampede;

namespace {

std::vector<watch::series_query> queries_of(std::string_view line, std::string_view how) {
    std::vector<watch::series_query> out;
    fuzz::fuzz_bytes selectors(reinterpret_cast<const std::uint8_t*>(line.data()), line.size());
    for (int i = 0; i < 4 && !selectors.empty(); ++i) {
        auto query = watch::parse_selector(selectors.until('\t'));
        if (!query && query.error().empty()) std::abort();
        if (!query) continue;
        if (!how.empty()) (void)watch::parse_reading(how, *query);
        out.push_back(std::move(*query));
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    const auto line = in.until('\n');
    const auto queries = queries_of(line, in.until('\n'));
    const auto text = in.rest();
    watch::exposition_limits limits;
    limits.max_bytes = 1 << 16;
    limits.max_line = 512;
    limits.max_samples = 200;
    limits.max_labels = 8;
    std::vector<watch::series_scrape> scrapes[2];
    for (auto& scrape : scrapes) {
        watch::series_sampler sampler(queries);
        std::vector<bool> matched(queries.size(), false);
        std::size_t samples = 0;
        const auto ok = watch::read_exposition(text, limits, [&](const watch::exposition_sample& s) {
            if (++samples > limits.max_samples || s.labels.size() > limits.max_labels || s.name.empty()) std::abort();
            for (const auto& [name, value] : s.labels)
                if (name.empty() || (name.front() >= '0' && name.front() <= '9')) std::abort();
            for (std::size_t i = 0; i < queries.size(); ++i)
                matched[i] = matched[i] || (s.family == queries[i].metric && queries[i].matches(s.labels));
            sampler.take(s);
        });
        if (!ok && ok.error().empty()) std::abort();
        scrape = sampler.finish();
        for (std::size_t i = 0; i < queries.size(); ++i)
            if (scrape[i].found != matched[i]) std::abort();  // the index found what a plain comparison does
    }
    for (std::size_t i = 0; i < queries.size(); ++i) (void)watch::interval_value(queries[i], scrapes[0][i], scrapes[1][i], 1.0);
    return 0;
}
