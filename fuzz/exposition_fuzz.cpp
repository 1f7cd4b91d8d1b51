// The service's Prometheus exposition and the watched series read from it, on any bytes: the
// first line is a selector, the second how it is read, the rest the text, read with small
// limits so the fuzzer meets them. Whatever the bytes: no crash, no more samples or labels
// handed out than the limits allow, a refusal always says what, and a series read over an
// interval is a number or nothing.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/fuzz_bytes.hpp"
#include "watch/exposition_reader.hpp"
#include "watch/series_sampler.hpp"

using namespace stampede;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::fuzz_bytes in(data, size);
    auto query = watch::parse_selector(in.until('\n'));
    const auto how = in.until('\n');
    if (query && !how.empty()) (void)watch::parse_reading(how, *query);
    if (!query && query.error().empty()) std::abort();
    const std::vector<watch::series_query> queries = query ? std::vector{*query} : std::vector<watch::series_query>{};
    const auto text = in.rest();
    watch::exposition_limits limits;
    limits.max_bytes = 1 << 16;
    limits.max_line = 512;
    limits.max_samples = 200;
    limits.max_labels = 8;
    std::vector<watch::series_scrape> scrapes[2];
    for (auto& scrape : scrapes) {
        watch::series_sampler sampler(queries);
        std::size_t samples = 0;
        const auto ok = watch::read_exposition(text, limits, [&](const watch::exposition_sample& s) {
            if (++samples > limits.max_samples || s.labels.size() > limits.max_labels || s.name.empty()) std::abort();
            for (const auto& [name, value] : s.labels)
                if (name.empty() || (name.front() >= '0' && name.front() <= '9')) std::abort();
            sampler.take(s);
        });
        if (!ok && ok.error().empty()) std::abort();
        scrape = sampler.finish();
    }
    for (std::size_t i = 0; i < queries.size(); ++i) (void)watch::interval_value(queries[i], scrapes[0][i], scrapes[1][i], 1.0);
    return 0;
}
