#include "stats/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace stampede::stats {

namespace {


}  // namespace

histogram::histogram(const histogram& other) { *this = other; }

histogram& histogram::operator=(const histogram& other) {
    if (this == &other) return *this;
    for (int b = 0; b < block_count; ++b) {
        if (!other.blocks_[b]) {
            blocks_[b].reset();
            continue;
        }
        if (!blocks_[b]) blocks_[b] = std::make_unique<std::uint64_t[]>(block_size);
        std::memcpy(blocks_[b].get(), other.blocks_[b].get(), block_size * sizeof(std::uint64_t));
    }
    total_count_ = other.total_count_;
    min_ = other.min_;
    max_ = other.max_;
    sum_ = other.sum_;
    clamped_ = other.clamped_;
    return *this;
}

void histogram::record(std::uint64_t value_us, std::uint64_t times) {
    if (times == 0) return;
    if (value_us > max_trackable) {
        clamped_ += times;
        value_us = max_trackable;
    }
    const int index = index_of(value_us);
    block_for(index)[index & (block_size - 1)] += times;
    total_count_ += times;
    sum_ += value_us * times;
    min_ = std::min(min_, value_us);
    max_ = std::max(max_, value_us);
}

void histogram::merge(const histogram& other) {
    if (other.total_count_ == 0) return;
    for (int b = 0; b < block_count; ++b) {
        if (!other.blocks_[b]) continue;
        std::uint64_t* mine = block_for(b << sub_bucket_bits);
        const std::uint64_t* theirs = other.blocks_[b].get();
        for (int i = 0; i < block_size; ++i) mine[i] += theirs[i];
    }
    total_count_ += other.total_count_;
    sum_ = saturating_add(sum_, other.sum_);
    clamped_ += other.clamped_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

void histogram::reset() {
    for (auto& block : blocks_) {
        if (block) std::memset(block.get(), 0, block_size * sizeof(std::uint64_t));
    }
    total_count_ = 0;
    min_ = UINT64_MAX;
    max_ = 0;
    sum_ = 0;
    clamped_ = 0;
}

double histogram::mean() const {
    return total_count_ ? static_cast<double>(sum_) / static_cast<double>(total_count_) : 0.0;
}

std::uint64_t histogram::percentile(double p) const {
    if (total_count_ == 0) return 0;
    const double wanted = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * total_count_);
    const std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
    if (rank >= total_count_) return max_;
    if (rank == 1) return min();
    std::uint64_t seen = 0;
    for (int b = 0; b < block_count; ++b) {
        if (!blocks_[b]) continue;
        for (int i = 0; i < block_size; ++i) {
            seen += blocks_[b][i];
            if (seen >= rank) {
                const auto value = midpoint_at((b << sub_bucket_bits) + i);
                return std::clamp(value, min(), max_);
            }
        }
    }
    return max_;
}

histogram_bucket histogram::bucket_iterator::operator*() const {
    const auto low = lowest_at(index_);
    return {index_, low, low + width_at(index_) - 1, h_->count_at(index_)};
}

// Whole missing blocks are skipped at once: a histogram's values cluster in a few octaves.
void histogram::bucket_iterator::skip_empty() {
    while (index_ < counts_length) {
        if (!h_->blocks_[index_ >> sub_bucket_bits]) {
            index_ = ((index_ >> sub_bucket_bits) + 1) << sub_bucket_bits;
            continue;
        }
        if (h_->count_at(index_) != 0) return;
        ++index_;
    }
}

bool histogram::operator==(const histogram& other) const {
    if (total_count_ != other.total_count_ || min() != other.min() || max_ != other.max_ ||
        sum_ != other.sum_ || clamped_ != other.clamped_)
        return false;
    for (int i = 0; i < counts_length; ++i) {
        if (count_at(i) != other.count_at(i)) return false;
    }
    return true;
}

}  // namespace stampede::stats
