#include "master/run_result.hpp"

#include <algorithm>

namespace stampede::master {

std::vector<stats_row> run_result::endpoint_rows() const {
    std::vector<stats_row> rows;
    const double seconds = duration_s();
    for (std::size_t i = 0; i < endpoints.size() && i < totals.endpoints.size(); ++i) {
        if (totals.endpoints[i].requests == 0) continue;
        rows.push_back(make_row(endpoints[i].method, endpoints[i].name, totals.endpoints[i], seconds));
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return std::tie(a.name, a.method) < std::tie(b.name, b.method);
    });
    return rows;
}

stats_row run_result::aggregated_row() const {
    return make_row("", "Aggregated", aggregate, duration_s());
}

}  // namespace stampede::master
