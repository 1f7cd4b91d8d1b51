#include "worker/arrival_curve.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stampede::worker {

arrival_curve::arrival_curve(const lang::arrival_spec& spec, double share) {
    double t = 0, rate = spec.rate * share, count = 0;
    for (const auto& stage : spec.stages) {
        const double length = std::chrono::duration<double>(stage.duration).count();
        const double next = stage.rate * share;
        segments_.push_back({t, t + length, rate, next, count});
        count += length * (rate + next) / 2;
        t += length;
        rate = next;
    }
    final_rate_ = rate;
    segments_.push_back({t, std::numeric_limits<double>::infinity(), rate, rate, count});
}

double arrival_curve::rate_at(double t) const {
    for (const auto& s : segments_)
        if (t < s.to_s) {
            if (!std::isfinite(s.to_s)) return s.to_rate;
            return s.from_rate + (s.to_rate - s.from_rate) * (t - s.from_s) / (s.to_s - s.from_s);
        }
    return final_rate_;
}

double arrival_curve::count_at(double t) const {
    if (t <= 0) return 0;
    for (const auto& s : segments_) {
        if (t >= s.to_s) continue;
        const double tau = t - s.from_s;
        return s.count_before + s.from_rate * tau + (s.to_rate - s.from_rate) * tau * tau / (2 * (s.to_s - s.from_s));
    }
    return segments_.back().count_before;  // unreachable: the last segment has no end
}

double arrival_curve::time_of(double n) const {
    if (n <= 0) return 0;
    for (const auto& s : segments_) {
        const double left = n - s.count_before;
        if (left <= 0) return s.from_s;
        if (!std::isfinite(s.to_s)) {  // the rate holds from here on
            if (s.from_rate <= 0) return std::numeric_limits<double>::infinity();
            return s.from_s + left / s.from_rate;
        }
        const double length = s.to_s - s.from_s;
        const double in_segment = length * (s.from_rate + s.to_rate) / 2;
        if (left > in_segment) continue;
        // from_rate * tau + a * tau^2 = left, with a = (to_rate - from_rate) / (2 length).
        const double a = (s.to_rate - s.from_rate) / (2 * length);
        if (std::abs(a) < 1e-12) return s.from_s + left / s.from_rate;
        const double tau = (-s.from_rate + std::sqrt(s.from_rate * s.from_rate + 4 * a * left)) / (2 * a);
        return s.from_s + std::clamp(tau, 0.0, length);
    }
    return std::numeric_limits<double>::infinity();
}

}  // namespace stampede::worker
