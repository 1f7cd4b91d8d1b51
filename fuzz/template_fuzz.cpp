// The template compiler and renderer: any source either compiles or is refused with errors at
// offsets inside it; a compiled template renders (twice, with a deterministic context) without
// asking its context for anything out of range; and what it rendered, as a request target or a
// header value, is refused when it holds a line break or NUL and otherwise made safe to send.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scenario/request_text.hpp"
#include "scenario/template.hpp"
#include "scenario/testing/fake_template_scope.hpp"

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
    // As a request target: refused whole, or nothing left that could end the request line.
    std::string target = "GET /";
    const bool breaks = out.find_first_of(std::string("\r\n\0", 3)) != std::string::npos;
    target += out;
    if (make_request_target(target, 4) == breaks) std::abort();
    if (!breaks)
        for (std::size_t i = 4; i < target.size(); ++i)
            if (static_cast<unsigned char>(target[i]) <= 0x20 || static_cast<unsigned char>(target[i]) >= 0x7f) std::abort();
    if (header_value_problem(out).has_value() != breaks) std::abort();
    (void)header_name_problem(out);
    (void)path_text_problem(out);
    (void)is_single_numeric(compiled);
    std::string escaped;
    append_json_escaped(source, escaped);
    return 0;
}
