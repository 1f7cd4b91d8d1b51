// A saved result read back, on any bytes: `stampede report` shaping it for the page and
// `stampede compare` reading its summary (totals, endpoints, the watched series). Whatever the
// bytes: no crash, a refusal always says why, and what is accepted holds together (every watched
// series as long as the time axis, a comparison of a result with itself shows no change).
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "report/comparison.hpp"
#include "report/report_data.hpp"
#include "report/run_summary.hpp"
#include "report/watch_json.hpp"

using namespace stampede;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_discarded()) {
        const auto page = report::make_report_data(doc);
        if (!page && page.error().empty()) std::abort();
        if (doc.is_object() && doc.contains("watch")) {
            const auto watch = report::read_watch(doc["watch"]);
            if (!watch && watch.error().empty()) std::abort();
            if (watch)
                for (const auto& s : watch->series)
                    if (s.values.size() != watch->moments()) std::abort();
        }
    }
    const auto summary = report::parse_run_summary(text, "fuzz.json");
    if (!summary && summary.error().empty()) std::abort();
    if (summary) {
        const auto same = report::compare_runs(*summary, *summary, {});
        if (same.service.size() < summary->service.size()) std::abort();
        for (const auto& s : same.service)
            if (s.base.avg != s.current.avg) std::abort();
    }
    return 0;
}
