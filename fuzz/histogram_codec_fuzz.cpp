// The histogram decoder on any bytes: a histogram or a reason, never a crash. What decodes
// encodes to bytes that decode to the same histogram; a merge straight from the bytes agrees
// with the decoder, and taking it back restores what was there.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "stats/histogram_codec.hpp"

using namespace stampede;
using namespace stampede::stats;

namespace {

bool same(const histogram& a, const histogram& b) {
    if (a.count() != b.count() || a.min() != b.min() || a.max() != b.max() || a.sum() != b.sum() ||
        a.clamped() != b.clamped())
        return false;
    auto i = a.buckets().begin(), j = b.buckets().begin();
    for (; i != a.buckets().end() && j != b.buckets().end(); ++i, ++j) {
        const auto x = *i, y = *j;
        if (x.count != y.count || x.low != y.low) return false;
    }
    return i == a.buckets().end() && j == b.buckets().end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto decoded = decode_histogram(bytes);

    histogram into;
    into.record(1500, 3);
    into.record(90000);
    const histogram before = into;
    encoded_summary summary;
    const auto merged = merge_encoded(into, bytes, std::nullopt, summary);
    if (merged.ok() != decoded.ok()) std::abort();  // the two readers of the format disagree
    if (!merged.ok()) {
        if (merged.error().empty() || decoded.error().empty() || !same(into, before)) std::abort();
        return 0;
    }
    if (summary.count != decoded->count()) std::abort();
    unmerge_encoded(into, bytes, summary, before.raw_min(), before.max());
    if (!same(into, before)) std::abort();

    const auto again = decode_histogram(encode_histogram(*decoded));
    if (!again.ok() || !same(*again, *decoded)) std::abort();
    return 0;
}
