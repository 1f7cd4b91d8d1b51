#include "scenario/template_parser.hpp"

#include <array>
#include <cctype>
#include <charconv>

#include "common/text_similarity.hpp"

namespace stampede::lang::detail {

using namespace common;

namespace {

struct function_info {
    std::string_view name;
    template_function function;
    std::string_view usage;
};

constexpr std::array<function_info, 10> functions = {{
    {"random_int", template_function::random_int, "random_int(low, high)"},
    {"random_choice", template_function::random_choice, "random_choice('a', 'b', ...)"},
    {"uuid", template_function::uuid, "uuid()"},
    {"counter", template_function::counter, "counter()"},
    {"global_counter", template_function::global_counter, "global_counter()"},
    {"user_index", template_function::user_index, "user_index()"},
    {"timestamp", template_function::timestamp, "timestamp()"},
    {"timestamp_ms", template_function::timestamp_ms, "timestamp_ms()"},
    {"now_iso", template_function::now_iso, "now_iso()"},
    {"env", template_function::variable, "env('NAME') or env('NAME', 'default')"},  // resolved at load
}};

std::vector<std::string_view> function_names() {
    std::vector<std::string_view> out;
    for (const auto& f : functions) out.push_back(f.name);
    return out;
}

}  // namespace

std::optional<argument> expression_parser::read_argument() {
    skip_space();
    if (pos_ >= text_.size()) return std::nullopt;
    const char c = text_[pos_];
    if (c == '\'' || c == '"') {
        const auto close = text_.find(c, pos_ + 1);
        if (close == std::string_view::npos) {
            error(pos_, "unterminated string in template");
            return std::nullopt;
        }
        argument a{std::string(text_.substr(pos_ + 1, close - pos_ - 1)), true};
        pos_ = close + 1;
        return a;
    }
    const auto start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ')' &&
           !std::isspace(static_cast<unsigned char>(text_[pos_])))
        ++pos_;
    if (start == pos_) {
        error(pos_, "expected a value in the template's argument list");
        return std::nullopt;
    }
    return argument{std::string(text_.substr(start, pos_ - start)), false};
}

std::optional<std::vector<argument>> expression_parser::read_arguments() {
    std::vector<argument> args;
    ++pos_;  // '('
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ')') {
        ++pos_;
        return args;
    }
    for (;;) {
        auto a = read_argument();
        if (!a) return std::nullopt;
        args.push_back(std::move(*a));
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == ',') {
            ++pos_;
            continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ')') {
            ++pos_;
            return args;
        }
        error(pos_, "expected ',' or ')' in the template's argument list");
        return std::nullopt;
    }
}

namespace {

std::optional<std::int64_t> to_integer(const argument& a) {
    std::int64_t v = 0;
    const auto* end = a.text.data() + a.text.size();
    auto [ptr, ec] = std::from_chars(a.text.data(), end, v);
    if (a.quoted || ec != std::errc() || ptr != end) return std::nullopt;
    return v;
}

}  // namespace

std::optional<template_expression> expression_parser::call(std::string_view name, std::size_t at,
                                                           const std::vector<argument>& args, std::string& literal,
                                                           bool& is_literal) {
    const function_info* info = nullptr;
    for (const auto& f : functions)
        if (f.name == name) info = &f;
    if (!info) {
        std::string message = "unknown template function '" + std::string(name) + "'";
        if (auto hint = nearest(name, function_names()); !hint.empty()) message += " (did you mean '" + hint + "'?)";
        error(at, message);
        return std::nullopt;
    }
    auto usage = [&] {
        error(at, "wrong arguments: use " + std::string(info->usage));
        return std::nullopt;
    };
    template_expression e;
    e.function = info->function;
    if (name == "env") {
        if (args.empty() || args.size() > 2) return usage();
        const auto value = scope_.environment ? scope_.environment(args[0].text) : std::nullopt;
        if (!value && args.size() < 2) {
            error(at, "environment variable '" + args[0].text + "' is not set (give a default: env('" + args[0].text +
                          "', 'value'))");
            return std::nullopt;
        }
        literal = value ? *value : args[1].text;
        is_literal = true;
        return std::nullopt;
    }
    switch (info->function) {
        case template_function::random_int: {
            if (args.size() != 2) return usage();
            auto low = to_integer(args[0]), high = to_integer(args[1]);
            if (!low || !high) return usage();
            if (*low > *high) {
                error(at, "random_int: the low bound exceeds the high bound");
                return std::nullopt;
            }
            e.low = *low;
            e.high = *high;
            return e;
        }
        case template_function::random_choice:
            if (args.empty()) return usage();
            for (const auto& a : args) e.choices.push_back(a.text);
            return e;
        default:
            if (!args.empty()) return usage();
            return e;
    }
}

std::optional<template_expression> expression_parser::reference(std::string_view name, std::size_t at) {
    template_expression e;
    if (name == "data") {
        // data.SET.COLUMN
        std::string_view parts[2];
        for (auto& part : parts) {
            if (pos_ >= text_.size() || text_[pos_] != '.') {
                error(pos_, "write a data column as data.SET.COLUMN");
                return std::nullopt;
            }
            ++pos_;
            part = identifier();
        }
        auto found = scope_.data_column ? scope_.data_column(parts[0], parts[1])
                                        : common::result<data_column_ref>(common::fail("no data sets are declared"));
        if (!found) {
            error(at, found.error());
            return std::nullopt;
        }
        e.function = template_function::data_column;
        e.slot = found->set;
        e.column = found->column;
        return e;
    }
    auto slot = scope_.variable ? scope_.variable(name) : std::nullopt;
    if (!slot) {
        std::string message = "undefined variable '" + std::string(name) + "'";
        std::vector<std::string> candidates = scope_.variable_names ? scope_.variable_names() : std::vector<std::string>{};
        for (auto f : function_names()) candidates.emplace_back(f);
        if (auto hint = nearest(name, std::vector<std::string_view>(candidates.begin(), candidates.end())); !hint.empty())
            message += " (did you mean '" + hint + "'?)";
        else
            message += " (set it in the user class's vars, or extract it in an earlier step)";
        error(at, message);
        return std::nullopt;
    }
    e.function = template_function::variable;
    e.slot = *slot;
    return e;
}

std::optional<template_expression> expression_parser::parse(std::string& literal, bool& is_literal) {
    skip_space();
    if (pos_ >= text_.size()) {
        error(0, "empty template expression");
        return std::nullopt;
    }
    std::optional<template_expression> out;
    if (text_[pos_] == '\'' || text_[pos_] == '"') {
        if (auto a = read_argument()) {
            literal = a->text;
            is_literal = true;
        }
    } else {
        const auto at = pos_;
        const auto name = identifier();
        if (name.empty()) {
            error(pos_, "unexpected '" + std::string(1, text_[pos_]) + "' in template expression");
            return std::nullopt;
        }
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == '(') {
            auto args = read_arguments();
            if (!args) return std::nullopt;
            out = call(name, at, *args, literal, is_literal);
        } else {
            out = reference(name, at);
        }
    }
    skip_space();
    if (pos_ < text_.size() && errors_.empty()) error(pos_, "unexpected text after the template expression");
    return out;
}

}  // namespace stampede::lang::detail
