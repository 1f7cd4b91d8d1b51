#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace stampede::common {

// Levenshtein edit distance, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to `word`, or "" when none is close enough to be a plausible typo.
std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace stampede::common
