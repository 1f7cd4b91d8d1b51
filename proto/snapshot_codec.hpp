#pragma once
// Stats deltas to and from the wire (stampede.v1.Snapshot). Decoding validates the whole
// snapshot before anything is merged, so a malformed one changes nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "stats/histogram_codec.hpp"
#include "stats/stats_delta.hpp"

namespace stampede::v1 {
class Snapshot;
}

namespace stampede::wire {

using stats::encoded_summary;
using stats::stats_delta;

// Fills `out` with the non-empty parts of `delta`.
void encode_snapshot(const stats_delta& delta, std::uint64_t sequence, v1::Snapshot& out);

// No worker counts this much of anything in one interval (10^12): a larger count is a lie or
// a wrapped number, and refused before it can wrap a total.
inline constexpr std::uint64_t max_count_per_snapshot = std::uint64_t{1} << 40;

// What a snapshot adds up to (sums stop at the largest value rather than wrap); also what a
// receiver still allows a sender, for limits it keeps per sender.
struct snapshot_counts {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t bytes = 0;
    std::uint64_t others = 0;  // check tallies, skipped steps, errors, cancelled requests
};
inline constexpr snapshot_counts no_limit{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX};

// Reusable decoding space, so that merging allocates nothing once warm.
struct snapshot_scratch {
    // One histogram to merge: where into, its bytes, the values it must hold (if known).
    struct histogram_merge {
        stats::histogram* into;
        std::string_view bytes;
        std::optional<std::uint64_t> count;
    };
    std::vector<histogram_merge> merges;
    std::vector<encoded_summary> summaries;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> min_max_before;
    std::vector<bool> endpoint_seen;  // each endpoint at most once per snapshot
    std::vector<bool> class_seen;     // each user class too
    snapshot_counts counts;           // what the last snapshot merged held
};

// Merges `snapshot` into `into` (sized for `endpoint_count` endpoints; its `checks` and
// `classes` sized for the scenario's checks and user classes) when it is whole and holds no more than `allowance`; its counts are
// then in `scratch.counts`. A refused snapshot fails with the reason and leaves `into`
// unchanged.
common::status merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into,
                              snapshot_scratch& scratch, const snapshot_counts& allowance = no_limit);
common::status merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into);

}  // namespace stampede::wire
