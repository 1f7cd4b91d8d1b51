#pragma once
// The one way a boundary reports failure: a value or the reason it could not be made, said
// in words a user can act on (the file and line, the flag's name). `result<void>` is the
// same for steps that make nothing. No exceptions cross a boundary, no out-parameters.
//
//   result<micros> d = parse_duration(text);
//   if (!d) return fail("--run-time: " + d.error());
#include <string>
#include <utility>
#include <variant>

namespace stampede::common {

// Why something failed; made by fail(), taken by any result.
struct failure {
    std::string reason;
};

inline failure fail(std::string reason) { return failure{std::move(reason)}; }

template <class T>
class [[nodiscard]] result {
public:
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    result(failure why) : state_(std::in_place_index<1>, std::move(why)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& operator*() & { return std::get<0>(state_); }
    const T& operator*() const& { return std::get<0>(state_); }
    T&& operator*() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &std::get<0>(state_); }
    const T* operator->() const { return &std::get<0>(state_); }
    // The reason; only for a failed result.
    const std::string& error() const { return std::get<1>(state_).reason; }
    // The reason as a failure, to pass on from a function of another result type.
    failure why() const { return std::get<1>(state_); }

private:
    std::variant<T, failure> state_;
};

template <>
class [[nodiscard]] result<void> {
public:
    result() = default;
    result(failure why) : reason_(std::move(why.reason)), failed_(true) {}

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const std::string& error() const { return reason_; }
    failure why() const { return failure{reason_}; }

private:
    std::string reason_;
    bool failed_ = false;
};

using status = result<void>;

}  // namespace stampede::common
