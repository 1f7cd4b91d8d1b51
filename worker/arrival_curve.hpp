#pragma once
// An open-model class's rate over time, and its inverse: when the n-th iteration is due. The
// rate is piecewise linear (a stage moves it in a straight line from the last stage's rate;
// past the last stage it holds), so the count of iterations due by t is piecewise quadratic,
// and the time of the n-th iteration is the root of one quadratic: exact, with no stepping.
#include <cstddef>
#include <vector>

#include "scenario/scenario.hpp"

namespace stampede::worker {

class arrival_curve {
public:
    // `share`: this part of the class's rate (a load thread's part of the cluster's).
    arrival_curve(const lang::arrival_spec& spec, double share);

    // Iterations due from the start to `t` seconds after it.
    double count_at(double t) const;
    // When (seconds after the start) the count reaches `n`; infinity when it never does.
    double time_of(double n) const;
    double rate_at(double t) const;

private:
    struct segment {
        double from_s, to_s;        // in seconds since the start
        double from_rate, to_rate;  // per second, this share's
        double count_before;        // iterations due by from_s
    };
    std::vector<segment> segments_;  // the stages, in order; the last one holds past its end
    double final_rate_ = 0;
};

}  // namespace stampede::worker
