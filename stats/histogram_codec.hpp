#pragma once
// The histogram's wire form (stampede-sparse-v1), shared by snapshots and the JSON result: a
// version byte, varints min, max, sum, clamped, then one varint token per bucket from index 0:
// even 2c is a bucket holding c, odd 2z-1 skips z empty buckets (HdrHistogram's log encoding
// does the same with zigzag signs).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "stats/histogram.hpp"

namespace stampede::stats {

// What merging an encoded histogram learned: its header and total count.
struct encoded_summary {
    std::uint64_t min = 0, max = 0, sum = 0, clamped = 0, count = 0;
};

std::string encode_histogram(const histogram& h);
common::result<histogram> decode_histogram(std::string_view bytes);

// Merges an encoded histogram into `into` straight from its bytes in one pass, touching no
// empty bucket. Damaged bytes, a header its buckets contradict, or a total other than
// `expected_count` (when given) leave `into` unchanged and fail with the reason.
common::status merge_encoded(histogram& into, std::string_view bytes, std::optional<std::uint64_t> expected_count,
                             encoded_summary& summary);
// Takes back a merge_encoded that succeeded, restoring the min and max from before it.
void unmerge_encoded(histogram& from, std::string_view bytes, const encoded_summary& summary,
                     std::uint64_t min_before, std::uint64_t max_before);

}  // namespace stampede::stats
