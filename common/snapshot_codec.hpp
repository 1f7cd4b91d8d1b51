#pragma once
// Stats deltas to and from the wire (stampede.v1.Snapshot). Decoding validates the whole
// snapshot before anything is merged, so a malformed one changes nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "common/stats_delta.hpp"

namespace stampede::v1 {
class Snapshot;
}

namespace stampede::common {

// Fills `out` with the non-empty parts of `delta`.
void encode_snapshot(const stats_delta& delta, std::uint64_t sequence, std::uint32_t users,
                     v1::Snapshot& out);

// Reusable decoding space, so that merging allocates nothing once warm.
struct snapshot_scratch {
    std::vector<encoded_summary> summaries;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> min_max_before;
};

// Merges `snapshot` into `into` (sized for `endpoint_count` endpoints; its `checks` sized for
// the scenario's checks). Returns "" or the reason the snapshot was refused; on refusal
// `into` is unchanged.
std::string merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into,
                           snapshot_scratch& scratch);
std::string merge_snapshot(const v1::Snapshot& snapshot, std::size_t endpoint_count, stats_delta& into);

bool is_empty(const stats_delta& delta);

}  // namespace stampede::common
