#include "master/user_dispatch.hpp"

#include <catch2/catch.hpp>

using stampede::lang::user_class_spec;
using stampede::master::users_per_class;

namespace {
user_class_spec weighted(int w) {
    user_class_spec c;
    c.weight = w;
    return c;
}
user_class_spec fixed(int n) {
    user_class_spec c;
    c.fixed_count = n;
    return c;
}
}  // namespace

TEST_CASE("weights split users with the largest remainder", "[dispatch]") {
    CHECK(users_per_class({weighted(3), weighted(1)}, 8) == std::vector<int>{6, 2});
    CHECK(users_per_class({weighted(3), weighted(1)}, 1) == std::vector<int>{1, 0});
    CHECK(users_per_class({weighted(1), weighted(1), weighted(1)}, 10) == std::vector<int>{4, 3, 3});
    CHECK(users_per_class({weighted(80), weighted(15), weighted(5)}, 20) == std::vector<int>{16, 3, 1});
    CHECK(users_per_class({weighted(2)}, 0) == std::vector<int>{0});
}

TEST_CASE("fixed counts come first", "[dispatch]") {
    CHECK(users_per_class({weighted(1), fixed(2)}, 10) == std::vector<int>{8, 2});
    CHECK(users_per_class({weighted(1), fixed(5)}, 3) == std::vector<int>{0, 3});
    CHECK(users_per_class({fixed(1), fixed(1)}, 5) == std::vector<int>{1, 1});
}
