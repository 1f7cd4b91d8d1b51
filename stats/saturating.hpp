#pragma once
// Addition that stops at the largest value instead of wrapping: for sums of counts that are
// each bounded but come in any number (latency sums over a long run, a snapshot's totals).
#include <cstdint>

namespace stampede::stats {

inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

}  // namespace stampede::stats
