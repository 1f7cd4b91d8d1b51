#pragma once
// Log-linear latency histogram over microseconds (HdrHistogram's layout, written for Stampede).
//
// Bucket 0 holds values 0..1023 at 1 us resolution. Bucket b >= 1 holds [2^(b+9), 2^(b+10))
// split into 512 linear sub-buckets of width 2^b, so a value's bucket is at most 1/512 of the
// value wide: reporting the bucket midpoint keeps the relative error within 1/1024 (0.098 %).
// Values above max_trackable (about 71 minutes) are clamped and counted as such.
//
// Counts live in lazily allocated blocks of 512, so a histogram whose values cluster in a few
// octaves (the usual case) costs a few KB instead of the full 96 KB. Fewer, narrower blocks
// matter most to the master, which merges thousands of snapshots a second into them.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::common {

// What merging an encoded histogram learned: its header and total count.
struct encoded_summary {
    std::uint64_t min = 0, max = 0, sum = 0, clamped = 0, count = 0;
};

class histogram {
public:
    static constexpr int sub_bucket_bits = 9;  // 512 sub-buckets per octave
    static constexpr int bucket_count = 23;    // buckets 0..22
    static constexpr std::uint64_t max_trackable = (std::uint64_t{1} << 32) - 1;
    static constexpr int block_size = 1 << sub_bucket_bits;
    static constexpr int counts_length = (bucket_count + 1) * block_size;  // bucket 0 spans 2 blocks
    static constexpr int block_count = counts_length / block_size;

    histogram() = default;
    histogram(const histogram& other);
    histogram& operator=(const histogram& other);
    histogram(histogram&&) noexcept = default;
    histogram& operator=(histogram&&) noexcept = default;

    // Hot path: no allocation except the first value in a new octave block.
    void record(std::uint64_t value_us, std::uint64_t times = 1);
    // Exact: the merge of two histograms equals the histogram of all their samples.
    void merge(const histogram& other);
    // Merges an encoded histogram straight from its bytes in one pass, touching no empty
    // bucket. Damaged bytes, or a total other than `expected_count` (when given), leave this
    // histogram unchanged and return false with a reason.
    bool merge_encoded(std::string_view bytes, std::optional<std::uint64_t> expected_count,
                       encoded_summary& summary, std::string* error = nullptr);
    // Takes back a merge_encoded that succeeded, restoring the min and max from before it.
    void unmerge_encoded(std::string_view bytes, const encoded_summary& summary, std::uint64_t min_before,
                         std::uint64_t max_before);
    std::uint64_t raw_min() const { return min_; }
    void reset();

    std::uint64_t count() const { return total_count_; }
    bool empty() const { return total_count_ == 0; }
    std::uint64_t min() const { return total_count_ ? min_ : 0; }
    std::uint64_t max() const { return max_; }
    std::uint64_t sum() const { return sum_; }
    double mean() const;
    std::uint64_t clamped() const { return clamped_; }
    // Nearest-rank percentile (0 < p <= 100): the value whose rank is ceil(p/100 * count).
    std::uint64_t percentile(double p) const;

    // Compact sparse wire form: a version byte, varints min, max, sum, clamped, then one
    // varint token per bucket from index 0: even 2c is a bucket holding c, odd 2z-1 skips z
    // empty buckets (HdrHistogram's log encoding does the same with zigzag signs).
    std::string encode() const;
    static std::optional<histogram> decode(std::string_view bytes, std::string* error = nullptr);


    static int index_of(std::uint64_t value);
    static std::uint64_t lowest_at(int index);
    static std::uint64_t width_at(int index);
    static std::uint64_t midpoint_at(int index);

    bool operator==(const histogram& other) const;

private:
    std::uint64_t count_at(int index) const;
    std::uint64_t* block_for(int index);

    std::array<std::unique_ptr<std::uint64_t[]>, block_count> blocks_{};
    std::uint64_t total_count_ = 0;
    std::uint64_t min_ = UINT64_MAX;
    std::uint64_t max_ = 0;
    std::uint64_t sum_ = 0;
    std::uint64_t clamped_ = 0;
};

}  // namespace stampede::common
