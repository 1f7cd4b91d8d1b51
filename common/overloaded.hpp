#pragma once
// One visitor from several lambdas, for std::visit over a message variant.

namespace stampede::common {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

}  // namespace stampede::common
