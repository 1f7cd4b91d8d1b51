#include "common/text_similarity.hpp"

#include <algorithm>
#include <numeric>

namespace stampede::common {

// Levenshtein's distance with two neighbours swapped counted as one edit (the optimal string
// alignment distance), since "tsl" for "tls" is one slip of the fingers, not two.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> before(b.size() + 1), above(b.size() + 1), row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        before.swap(above);
        above.swap(row);
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] != b[j - 1])});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
        }
    }
    return row[b.size()];
}

std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::string_view best;
    std::size_t best_distance = SIZE_MAX;
    for (auto c : candidates) {
        const auto d = edit_distance(word, c);
        if (d < best_distance) best_distance = d, best = c;
    }
    // A typo changes a few characters; beyond half the word it is another word.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 2);
    return best_distance <= limit ? std::string(best) : std::string();
}

}  // namespace stampede::common
