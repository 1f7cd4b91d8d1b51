#pragma once
// The expression inside "{{ ... }}": functions, variables and data columns, parsed once when
// the scenario loads into a template_expression, with every problem at its offset. Used by
// compile_template (template.hpp).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/template.hpp"

namespace stampede::lang::detail {

struct argument {
    std::string text;
    bool quoted = false;
};

// Parses one expression (the text between "{{" and "}}").
class expression_parser {
public:
    expression_parser(std::string_view text, std::size_t base, const template_scope& scope,
                      std::vector<template_error>& errors)
        : text_(text), base_(base), scope_(scope), errors_(errors) {}

    // A literal (env, quoted string) comes back in `literal`; anything else as an expression.
    std::optional<template_expression> parse(std::string& literal, bool& is_literal);

private:
    void error(std::size_t at, std::string message) { errors_.push_back({base_ + at, std::move(message)}); }
    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    std::string_view identifier() {
        const auto start = pos_;
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) ++pos_;
        return text_.substr(start, pos_ - start);
    }
    std::optional<argument> read_argument();
    std::optional<std::vector<argument>> read_arguments();
    std::optional<template_expression> call(std::string_view name, std::size_t at, const std::vector<argument>& args,
                                            std::string& literal, bool& is_literal);
    std::optional<template_expression> reference(std::string_view name, std::size_t at);

    std::string_view text_;
    std::size_t base_;
    const template_scope& scope_;
    std::vector<template_error>& errors_;
    std::size_t pos_ = 0;
};

}  // namespace stampede::lang::detail
