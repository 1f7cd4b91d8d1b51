#include "common/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace stampede::common {

namespace {

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

bool get_varint(std::string_view& in, std::uint64_t& v) {
    // Most values (gaps and small counts) fit one byte: take them without the loop.
    if (!in.empty() && static_cast<std::uint8_t>(in.front()) < 0x80) {
        v = static_cast<std::uint8_t>(in.front());
        in.remove_prefix(1);
        return true;
    }
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (in.empty()) return false;
        auto byte = static_cast<std::uint8_t>(in.front());
        in.remove_prefix(1);
        if (shift == 63 && byte > 1) return false;  // would overflow 64 bits
        v |= std::uint64_t{byte & 0x7fu} << shift;
        if ((byte & 0x80) == 0) return true;
    }
    return false;
}

constexpr std::uint8_t wire_version = 1;

// The sum of latencies, merged from many workers over a long run, must not wrap: it stops
// at the largest value (a mean then reads as a bound, not as garbage).
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

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

int histogram::index_of(std::uint64_t value) {
    if (value > max_trackable) value = max_trackable;
    const int msb = 63 - std::countl_zero(value | 1);
    const int bucket = std::max(0, msb - sub_bucket_bits);
    return (bucket << sub_bucket_bits) + static_cast<int>(value >> bucket);
}

std::uint64_t histogram::lowest_at(int index) {
    if (index < 2 * block_size) return static_cast<std::uint64_t>(index);
    const int bucket = (index >> sub_bucket_bits) - 1;
    const std::uint64_t sub = static_cast<std::uint64_t>(index - (bucket << sub_bucket_bits));
    return sub << bucket;
}

std::uint64_t histogram::width_at(int index) {
    if (index < 2 * block_size) return 1;
    return std::uint64_t{1} << ((index >> sub_bucket_bits) - 1);
}

std::uint64_t histogram::midpoint_at(int index) { return lowest_at(index) + width_at(index) / 2; }

std::uint64_t* histogram::block_for(int index) {
    auto& block = blocks_[index >> sub_bucket_bits];
    if (!block) block = std::make_unique<std::uint64_t[]>(block_size);  // zero-initialised
    return block.get();
}

std::uint64_t histogram::count_at(int index) const {
    const auto& block = blocks_[index >> sub_bucket_bits];
    return block ? block[index & (block_size - 1)] : 0;
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

std::string histogram::encode() const {
    std::string out;
    out.push_back(static_cast<char>(wire_version));
    put_varint(out, min());
    put_varint(out, max_);
    put_varint(out, sum_);
    put_varint(out, clamped_);
    int next = 0;  // first index not yet covered by a token
    for (int b = 0; b < block_count; ++b) {
        if (!blocks_[b]) continue;
        for (int i = 0; i < block_size; ++i) {
            const std::uint64_t c = blocks_[b][i];
            if (c == 0) continue;
            const int index = (b << sub_bucket_bits) + i;
            if (index > next) put_varint(out, 2 * static_cast<std::uint64_t>(index - next) - 1);
            put_varint(out, 2 * c);
            next = index + 1;
        }
    }
    return out;
}

namespace {
bool fail(std::string* error, const char* why) {
    if (error) *error = why;
    return false;
}
}  // namespace

namespace {

bool read_header(std::string_view& in, encoded_summary& out, std::string* error) {
    if (in.empty() || static_cast<std::uint8_t>(in.front()) != wire_version)
        return fail(error, "histogram: unknown encoding version");
    in.remove_prefix(1);
    if (!get_varint(in, out.min) || !get_varint(in, out.max) || !get_varint(in, out.sum) ||
        !get_varint(in, out.clamped))
        return fail(error, "histogram: truncated header");
    return true;
}

}  // namespace

namespace {

// Walks the bucket tokens of an encoded histogram (after its header), calling
// on_bucket(index, count) for at most `limit` buckets. Returns false at the first damage.
template <typename F>
bool walk_buckets(std::string_view in, std::uint64_t limit, F on_bucket, std::string* error) {
    std::uint64_t index = 0;
    for (std::uint64_t seen = 0; !in.empty() && seen < limit;) {
        std::uint64_t token;
        if (!get_varint(in, token)) return fail(error, "histogram: truncated");
        if (token & 1) {
            index += token / 2 + 1;
            if (index > static_cast<std::uint64_t>(histogram::counts_length))
                return fail(error, "histogram: empty run past the last bucket");
            continue;
        }
        if (token == 0) return fail(error, "histogram: a bucket token without a count");
        if (index >= static_cast<std::uint64_t>(histogram::counts_length))
            return fail(error, "histogram: bucket past the last one");
        on_bucket(static_cast<int>(index++), token / 2);
        ++seen;
    }
    return true;
}

}  // namespace

bool histogram::merge_encoded(std::string_view bytes, std::optional<std::uint64_t> expected_count,
                              encoded_summary& summary, std::string* error) {
    std::string_view in = bytes;
    summary.count = 0;
    if (!read_header(in, summary, error)) return false;
    int first = -1, last = -1;
    std::uint64_t applied = 0;
    bool overflow = false;
    // The sum of the values lies between every bucket's lowest and highest value times its
    // count: a sum outside says the header lies (a mean of 1.8e16 ms with a max of 0.5 ms).
    unsigned __int128 lowest_sum = 0, highest_sum = 0;
    const bool ok = walk_buckets(in, UINT64_MAX, [&](int index, std::uint64_t c) {
        overflow = overflow || summary.count + c < summary.count;
        summary.count += c;
        lowest_sum += static_cast<unsigned __int128>(c) * lowest_at(index);
        highest_sum += static_cast<unsigned __int128>(c) * (lowest_at(index) + width_at(index) - 1);
        block_for(index)[index & (block_size - 1)] += c;
        if (first < 0) first = index;
        last = index;
        ++applied;
    }, error);
    const char* why = nullptr;
    if (!ok) why = nullptr;  // walk_buckets said why
    else if (overflow) why = "histogram: count overflow";
    else if (summary.count == 0 && (summary.min || summary.max || summary.sum || summary.clamped))
        why = "histogram: stats without counts";
    else if (summary.count > 0 && (summary.min > summary.max || summary.max > max_trackable ||
                                   index_of(summary.min) != first || index_of(summary.max) != last ||
                                   summary.clamped > summary.count))
        why = "histogram: min/max inconsistent with counts";
    else if (summary.sum < lowest_sum || summary.sum > highest_sum)
        why = "histogram: sum outside what its buckets allow";
    else if (total_count_ + summary.count < total_count_)
        why = "histogram: count overflow";
    else if (expected_count && summary.count != *expected_count)
        why = "histogram count differs from the request count";
    if (ok && !why) {
        if (summary.count == 0) return true;
        total_count_ += summary.count;
        sum_ = saturating_add(sum_, summary.sum);
        clamped_ += summary.clamped;
        min_ = std::min(min_, summary.min);
        max_ = std::max(max_, summary.max);
        return true;
    }
    // Damaged: take back the buckets already added (rare: only a broken or hostile worker).
    walk_buckets(in, applied, [&](int index, std::uint64_t c) { blocks_[index >> sub_bucket_bits][index & (block_size - 1)] -= c; }, nullptr);
    if (why) fail(error, why);
    return false;
}

void histogram::unmerge_encoded(std::string_view bytes, const encoded_summary& summary, std::uint64_t min_before,
                                std::uint64_t max_before) {
    std::string_view in = bytes;
    encoded_summary header;
    if (!read_header(in, header, nullptr)) return;
    walk_buckets(in, UINT64_MAX, [&](int index, std::uint64_t c) { blocks_[index >> sub_bucket_bits][index & (block_size - 1)] -= c; }, nullptr);
    total_count_ -= summary.count;
    sum_ -= summary.sum;
    clamped_ -= summary.clamped;
    min_ = min_before;
    max_ = max_before;
}

std::optional<histogram> histogram::decode(std::string_view bytes, std::string* error) {
    histogram h;
    encoded_summary summary;
    if (!h.merge_encoded(bytes, std::nullopt, summary, error)) return std::nullopt;
    return h;
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

}  // namespace stampede::common
