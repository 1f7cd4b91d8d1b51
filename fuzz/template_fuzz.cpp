// The template compiler and renderer: any source either compiles or is refused with errors at
// offsets inside it; a compiled template renders (twice, with a deterministic context) without
// asking its context for anything out of range.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scenario/template.hpp"

using namespace stampede;
using namespace stampede::lang;

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

template_scope fuzz_scope() {
    template_scope scope;
    scope.variable = [](std::string_view name) -> std::optional<std::uint32_t> {
        if (name == "job_id") return 0;
        if (name == "note") return 1;
        return std::nullopt;
    };
    scope.variable_names = [] { return std::vector<std::string>{"job_id", "note"}; };
    scope.data_column = [](std::string_view set, std::string_view column) -> common::result<data_column_ref> {
        if (set == "queries" && column == "query") return data_column_ref{0, 0};
        if (set == "queries" && column == "complexity") return data_column_ref{0, 1};
        return common::fail("no such column");
    };
    scope.environment = [](const std::string& name) -> std::optional<std::string> {
        if (name == "API_KEY") return std::string("k-123");
        return std::nullopt;
    };
    return scope;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view source(reinterpret_cast<const char*>(data), size);
    std::vector<template_error> errors;
    const auto compiled = compile_template(source, fuzz_scope(), errors);
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
