#pragma once
// Log-linear latency histogram over microseconds (HdrHistogram's layout, written for Stampede).
//
// Bucket 0 holds values 0..2047 at 1 us resolution. Bucket b >= 1 holds [2^(b+10), 2^(b+11))
// split into 1024 linear sub-buckets of width 2^b, so a value's bucket width is at most 1/1024
// of the value: reporting the bucket midpoint keeps the relative error under 0.05 %.
// Values above max_trackable (about 71 minutes) are clamped and counted as such.
//
// Counts live in lazily allocated blocks of 1024, so a histogram whose values cluster in a few
// octaves (the usual case) costs a few KB instead of the full 184 KB.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stampede::common {

// A histogram's wire form after validation: only its non-empty buckets. The master merges
// these straight into its totals, touching no empty bucket.
struct histogram_runs {
    std::uint64_t min = 0, max = 0, sum = 0, clamped = 0, count = 0;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> buckets;  // (index, count), ascending
};

class histogram {
public:
    static constexpr int sub_bucket_bits = 10;  // 1024 sub-buckets per octave
    static constexpr int bucket_count = 22;     // buckets 0..21
    static constexpr std::uint64_t max_trackable = (std::uint64_t{1} << 32) - 1;
    static constexpr int block_size = 1 << sub_bucket_bits;
    static constexpr int counts_length = 2 * block_size + (bucket_count - 1) * block_size;
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
    void merge(const histogram_runs& runs);
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

    // Compact sparse wire form: varints of (min, max, sum, clamped, then runs of
    // (zero-gap, count) pairs). Decoding validates every field.
    std::string encode() const;
    static std::optional<histogram> decode(std::string_view bytes, std::string* error = nullptr);
    // Validates and unpacks the wire form into `out` (reusing its storage); false on damage.
    static bool decode_runs(std::string_view bytes, histogram_runs& out, std::string* error = nullptr);

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
