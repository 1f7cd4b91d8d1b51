#include "scenario/template.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>

#include "common/text_similarity.hpp"

namespace stampede::lang {

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

std::optional<std::int64_t> to_integer(const argument& a) {
    std::int64_t v = 0;
    const auto* end = a.text.data() + a.text.size();
    auto [ptr, ec] = std::from_chars(a.text.data(), end, v);
    if (a.quoted || ec != std::errc() || ptr != end) return std::nullopt;
    return v;
}

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
        std::string why;
        auto found = scope_.data_column ? scope_.data_column(parts[0], parts[1], &why) : std::nullopt;
        if (!found) {
            error(at, why.empty() ? "no data sets are declared" : why);
            return std::nullopt;
        }
        e.function = template_function::data_column;
        e.slot = found->first;
        e.column = found->second;
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

void append_number(std::uint64_t v, std::string& out) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, end);
}

void append_signed(std::int64_t v, std::string& out) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, end);
}

void append_uuid(template_context& context, std::string& out) {
    static constexpr char hex[] = "0123456789abcdef";
    const std::uint64_t a = context.random_below(~0ULL), b = context.random_below(~0ULL);
    unsigned char bytes[16];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(a >> (8 * i));
    for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0x0f];
    }
}

void append_iso_now(std::string& out) {
    const auto now = std::chrono::system_clock::now();
    const auto t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[40];
    const auto n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    out.append(buffer, n);
    std::snprintf(buffer, sizeof buffer, ".%03dZ", static_cast<int>(ms));
    out += buffer;
}

void evaluate(const template_expression& e, template_context& context, std::string& out) {
    using clock = std::chrono::system_clock;
    switch (e.function) {
        case template_function::random_int: {
            // In unsigned arithmetic: the full int64 range must not overflow.
            const auto span = static_cast<std::uint64_t>(e.high) - static_cast<std::uint64_t>(e.low);
            const auto roll = span == ~0ULL ? context.random_below(~0ULL) : context.random_below(span + 1);
            append_signed(static_cast<std::int64_t>(static_cast<std::uint64_t>(e.low) + roll), out);
            return;
        }
        case template_function::random_choice: out += e.choices[context.random_below(e.choices.size())]; return;
        case template_function::uuid: append_uuid(context, out); return;
        case template_function::counter: append_number(context.next_counter(), out); return;
        case template_function::global_counter: append_number(context.next_global_counter(), out); return;
        case template_function::user_index: append_number(context.user_index(), out); return;
        case template_function::timestamp:
            append_number(static_cast<std::uint64_t>(
                              std::chrono::duration_cast<std::chrono::seconds>(clock::now().time_since_epoch()).count()),
                          out);
            return;
        case template_function::timestamp_ms:
            append_number(static_cast<std::uint64_t>(
                              std::chrono::duration_cast<std::chrono::milliseconds>(clock::now().time_since_epoch()).count()),
                          out);
            return;
        case template_function::now_iso: append_iso_now(out); return;
        case template_function::variable: out += context.variable(e.slot); return;
        case template_function::data_column: out += context.data_value(e.slot, e.column); return;
    }
}

}  // namespace

bool template_expression::numeric() const {
    switch (function) {
        case template_function::random_int:
        case template_function::counter:
        case template_function::global_counter:
        case template_function::user_index:
        case template_function::timestamp:
        case template_function::timestamp_ms: return true;
        default: return false;
    }
}

const std::string& text_template::text() const {
    static const std::string empty;
    return parts.empty() ? empty : parts[0].literal;
}

std::vector<std::uint32_t> text_template::variables() const {
    std::vector<std::uint32_t> out;
    for (const auto& p : parts)
        if (p.expression && p.expression->function == template_function::variable) out.push_back(p.expression->slot);
    return out;
}

std::vector<std::uint32_t> text_template::data_sets() const {
    std::vector<std::uint32_t> out;
    for (const auto& p : parts)
        if (p.expression && p.expression->function == template_function::data_column) out.push_back(p.expression->slot);
    return out;
}

text_template compile_template(std::string_view source, const template_scope& scope, std::vector<template_error>& errors) {
    text_template t;
    t.source = std::string(source);
    std::string pending;  // literal text not yet attached to a part
    std::size_t pos = 0;
    while (pos < source.size()) {
        const auto open = source.find("{{", pos);
        if (open == std::string_view::npos) {
            pending.append(source.substr(pos));
            break;
        }
        pending.append(source.substr(pos, open - pos));
        const auto close = source.find("}}", open + 2);
        if (close == std::string_view::npos) {
            errors.push_back({open, "'{{' without a closing '}}'"});
            break;
        }
        std::vector<template_error> local;
        expression_parser parser(source.substr(open + 2, close - open - 2), open + 2, scope, local);
        std::string literal;
        bool is_literal = false;
        auto e = parser.parse(literal, is_literal);
        if (is_literal && local.empty()) {
            pending += literal;
        } else if (e && local.empty()) {
            t.parts.push_back({std::move(pending), std::move(e), false});
            pending.clear();
        }
        errors.insert(errors.end(), local.begin(), local.end());
        pos = close + 2;
    }
    if (!pending.empty() || t.parts.empty()) t.parts.push_back({std::move(pending), std::nullopt, false});
    return t;
}

bool is_single_numeric(const text_template& t) {
    return t.parts.size() == 1 && t.parts[0].literal.empty() && t.parts[0].expression && t.parts[0].expression->numeric();
}

void render_template(const text_template& t, template_context& context, std::string& out) {
    for (const auto& p : t.parts) {
        out += p.literal;
        if (!p.expression) continue;
        if (!p.json_string) {
            evaluate(*p.expression, context, out);
            continue;
        }
        std::string value;
        evaluate(*p.expression, context, value);
        append_json_escaped(value, out);
    }
}

void append_json_escaped(std::string_view value, std::string& out) {
    static constexpr char hex[] = "0123456789abcdef";
    for (const char c : value) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out += hex[(c >> 4) & 0xf];
                    out += hex[c & 0xf];
                } else {
                    out += c;
                }
        }
    }
}

}  // namespace stampede::lang
