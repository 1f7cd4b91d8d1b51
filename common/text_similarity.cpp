#include "common/text_similarity.hpp"

#include <algorithm>
#include <numeric>

namespace stampede::common {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
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
