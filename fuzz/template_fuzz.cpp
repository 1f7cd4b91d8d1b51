// The template compiler and renderer: any source either compiles or is refused with errors at
// offsets inside it; a compiled template renders (twice, with a deterministic context) without
// asking its context for anything out of range.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scenario/template.hpp"
#include "tests/scenario/fake_template_scope.hpp"

using namespace stampede;
using namespace stampede::lang;
using stampede::lang::testing::fake_template_scope;

namespace {

class fuzz_context final : public template_context {
public:
    std::uint64_t random_below(std::uint64_t bound) override {
        if (bound == 0) std::abort();  // no value lies below 0: the compiler let a bad range through
        return next_++ % bound;
    }
    std::string_view variable(std::uint32_t slot) override {
        if (slot > 1) std::abort();
        return slot == 0 ? "job-7" : "a \"quoted\"\n\x01 value \xff";
    }
    bool has_variable(std::uint32_t slot) override { return slot <= 1; }
    std::string_view data_value(std::uint32_t set, std::uint32_t column) override {
        if (set != 0 || column > 1) std::abort();
        return column == 0 ? "q1" : "12";
    }
    std::uint64_t next_counter() override { return ++next_; }
    std::uint64_t next_global_counter() override { return ++next_; }
    std::uint64_t user_index() override { return 3; }

private:
    std::uint64_t next_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    std::vector<template_error> errors;
    const auto compiled = compile_template(source, fake_template_scope(), errors);
    for (const auto& e : errors)
        if (e.offset > source.size() || e.message.empty()) std::abort();
    if (!errors.empty()) return 0;
    fuzz_context context;
    std::string out;
    render_template(compiled, context, out);
    render_template(compiled, context, out);
    if (compiled.constant() && compiled.text() + compiled.text() != out) std::abort();
    (void)is_single_numeric(compiled);
    std::string escaped;
    append_json_escaped(source, escaped);
    return 0;
}
