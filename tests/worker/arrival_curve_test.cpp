// The open model's rate over time and its inverse: when the n-th iteration is due.
#include "worker/arrival_curve.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace stampede;
using namespace stampede::worker;
using namespace std::chrono_literals;

TEST_CASE("a constant rate's n-th iteration is due at n over the rate", "[arrivals]") {
    lang::arrival_spec spec;
    spec.rate = 200;
    const arrival_curve whole(spec, 1.0), half(spec, 0.5);
    CHECK(whole.time_of(200) == Approx(1.0));
    CHECK(whole.count_at(2.5) == Approx(500));
    CHECK(half.time_of(100) == Approx(1.0));  // a part of the rate: its own iterations
    CHECK(whole.time_of(0) == 0);
}

TEST_CASE("stages ramp the rate in straight lines and the last one holds", "[arrivals]") {
    lang::arrival_spec spec;
    spec.rate = 0;
    spec.stages = {{10s, 100}, {10s, 100}, {5s, 0}};
    const arrival_curve c(spec, 1.0);
    CHECK(c.rate_at(5) == Approx(50));
    CHECK(c.count_at(10) == Approx(500));    // the ramp: half of 10 s at 100/s
    CHECK(c.count_at(20) == Approx(1500));   // then the hold
    CHECK(c.count_at(25) == Approx(1750));   // and down to 0
    CHECK(c.count_at(100) == Approx(1750));  // 0 holds
    for (double n : {1.0, 37.5, 500.0, 1000.0, 1600.0, 1749.0}) CHECK(c.count_at(c.time_of(n)) == Approx(n));
    CHECK(std::isinf(c.time_of(1751)));  // never: the rate stays at zero
    CHECK(c.time_of(50) == Approx(std::sqrt(10.0)));  // 5 t^2 = 50 on the ramp
}

TEST_CASE("the first stage starts from the class's rate", "[arrivals]") {
    lang::arrival_spec spec;
    spec.rate = 100;
    spec.stages = {{10s, 300}};
    const arrival_curve c(spec, 1.0);
    CHECK(c.count_at(10) == Approx(2000));
    CHECK(c.rate_at(60) == Approx(300));
    CHECK(c.time_of(2300) == Approx(11));
}
