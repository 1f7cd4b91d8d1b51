#pragma once
// The command's exit codes, documented in docs/cli.md.

namespace stampede::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_usage = 2;
// Counts a worker made did not reach the master (refused, or lost on the way): the result
// says which and how many, and cannot pass.
inline constexpr int exit_incomplete = 4;
// The scenario's thresholds: at least one failed (99, as k6 says it).
inline constexpr int exit_thresholds_failed = 99;
// `compare`: a change past the regression bounds, a target missed as a threshold is.
inline constexpr int exit_regressed = 99;

}  // namespace stampede::cli
