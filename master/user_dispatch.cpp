#include "master/user_dispatch.hpp"

#include <algorithm>
#include <numeric>

namespace stampede::master {

std::vector<int> users_per_class(const std::vector<common::user_class_spec>& classes, int total) {
    std::vector<int> counts(classes.size(), 0);
    int left = std::max(0, total);
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (!classes[i].fixed_count) continue;
        counts[i] = std::min(left, *classes[i].fixed_count);
        left -= counts[i];
    }
    long long weight_sum = 0;
    for (const auto& c : classes) weight_sum += c.fixed_count ? 0 : c.weight;
    if (weight_sum == 0 || left == 0) return counts;

    std::vector<std::pair<double, std::size_t>> remainders;  // (fraction, class) to round up
    int given = 0;
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (classes[i].fixed_count) continue;
        const double exact = static_cast<double>(left) * classes[i].weight / static_cast<double>(weight_sum);
        counts[i] = static_cast<int>(exact);
        given += counts[i];
        remainders.emplace_back(exact - counts[i], i);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (int k = 0; k < left - given; ++k) ++counts[remainders[static_cast<std::size_t>(k)].second];
    return counts;
}

}  // namespace stampede::master
