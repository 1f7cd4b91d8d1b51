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
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "stats/saturating.hpp"

namespace stampede::stats {

// One bucket: the values it holds, from `low` to `high` inclusive, and how many there are.
struct histogram_bucket {
    int index = 0;
    std::uint64_t low = 0, high = 0;
    std::uint64_t count = 0;
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
    std::uint64_t raw_min() const { return min_; }  // UINT64_MAX while empty
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

    // The non-empty buckets in value order, for charts, Prometheus buckets and the codec.
    class bucket_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = histogram_bucket;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = histogram_bucket;  // made on the fly: a value, not a reference

        bucket_iterator() = default;
        bucket_iterator(const histogram* h, int index) : h_(h), index_(index) { skip_empty(); }
        histogram_bucket operator*() const;
        bucket_iterator& operator++() {
            ++index_;
            skip_empty();
            return *this;
        }
        bucket_iterator operator++(int) {
            auto before = *this;
            ++*this;
            return before;
        }
        bool operator==(const bucket_iterator& other) const { return index_ == other.index_; }

    private:
        void skip_empty();
        const histogram* h_ = nullptr;
        int index_ = 0;
    };
    struct bucket_range {
        const histogram* h;
        bucket_iterator begin() const { return {h, 0}; }
        bucket_iterator end() const { return {h, counts_length}; }
    };
    bucket_range buckets() const { return {this}; }

    static int index_of(std::uint64_t value);
    static std::uint64_t lowest_at(int index);
    static std::uint64_t width_at(int index);
    static std::uint64_t midpoint_at(int index);

    bool operator==(const histogram& other) const;

private:
    friend struct histogram_codec;  // histogram_codec.cpp: merges straight from wire bytes
    std::uint64_t count_at(int index) const;
    std::uint64_t* block_for(int index);

    std::array<std::unique_ptr<std::uint64_t[]>, block_count> blocks_{};
    std::uint64_t total_count_ = 0;
    std::uint64_t min_ = UINT64_MAX;
    std::uint64_t max_ = 0;
    std::uint64_t sum_ = 0;
    std::uint64_t clamped_ = 0;
};

// Bucket geometry and counter access, in the header: the codec's merge from the wire calls
// them once per bucket, from another translation unit.
inline int histogram::index_of(std::uint64_t value) {
    if (value > max_trackable) value = max_trackable;
    const int msb = 63 - std::countl_zero(value | 1);
    const int bucket = std::max(0, msb - sub_bucket_bits);
    return (bucket << sub_bucket_bits) + static_cast<int>(value >> bucket);
}

inline std::uint64_t histogram::lowest_at(int index) {
    if (index < 2 * block_size) return static_cast<std::uint64_t>(index);
    const int bucket = (index >> sub_bucket_bits) - 1;
    const std::uint64_t sub = static_cast<std::uint64_t>(index - (bucket << sub_bucket_bits));
    return sub << bucket;
}

inline std::uint64_t histogram::width_at(int index) {
    if (index < 2 * block_size) return 1;
    return std::uint64_t{1} << ((index >> sub_bucket_bits) - 1);
}

inline std::uint64_t histogram::midpoint_at(int index) { return lowest_at(index) + width_at(index) / 2; }

inline std::uint64_t* histogram::block_for(int index) {
    auto& block = blocks_[index >> sub_bucket_bits];
    if (!block) block = std::make_unique<std::uint64_t[]>(block_size);  // zero-initialised
    return block.get();
}

inline std::uint64_t histogram::count_at(int index) const {
    const auto& block = blocks_[index >> sub_bucket_bits];
    return block ? block[index & (block_size - 1)] : 0;
}

}  // namespace stampede::stats
