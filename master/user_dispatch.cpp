#include "master/user_dispatch.hpp"

#include <algorithm>
#include <numeric>

namespace stampede::master {

std::vector<int> split_by_weight(int total, const std::vector<double>& weights) {
    std::vector<int> parts(weights.size(), 0);
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (sum <= 0 || total <= 0) return parts;
    std::vector<std::pair<double, std::size_t>> remainders;  // (fraction, index) to round up
    int given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const double exact = total * weights[i] / sum;
        parts[i] = static_cast<int>(exact);
        given += parts[i];
        remainders.emplace_back(exact - parts[i], i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (int k = 0; k < total - given; ++k) ++parts[remainders[static_cast<std::size_t>(k)].second];
    return parts;
}

std::vector<int> users_per_class(const std::vector<lang::user_class_spec>& classes, int total) {
    std::vector<int> counts(classes.size(), 0);
    int left = std::max(0, total);
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (!classes[i].fixed_count || classes[i].arrivals) continue;
        counts[i] = std::min(left, *classes[i].fixed_count);
        left -= counts[i];
    }
    std::vector<double> weights;
    for (const auto& c : classes) weights.push_back(c.fixed_count || c.arrivals ? 0.0 : c.weight);
    const auto weighted = split_by_weight(left, weights);
    for (std::size_t i = 0; i < classes.size(); ++i)
        if (!classes[i].fixed_count && !classes[i].arrivals) counts[i] = weighted[i];
    return counts;
}

}  // namespace stampede::master
