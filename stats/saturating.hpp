#pragma once
// Addition that stops at the largest value instead of wrapping: for sums of counts that are
// each bounded but come in any number (latency sums over a long run, a snapshot's totals).
#include <cstdint>

namespace stampede::stats {

// A count kept in 32 bits (history points): the largest value rather than a wrapped one.
inline std::uint32_t saturating_u32(std::uint64_t n) { return n > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(n); }
inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

}  // namespace stampede::stats
