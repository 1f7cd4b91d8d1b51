#include "scenario/template.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>

#include "scenario/template_parser.hpp"

namespace stampede::lang {

using namespace common;

namespace {

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
        detail::expression_parser parser(source.substr(open + 2, close - open - 2), open + 2, scope, local);
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
