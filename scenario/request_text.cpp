#include "scenario/request_text.hpp"

#include <cstdio>

namespace stampede::lang {

namespace {

bool line_breaking(char c) { return c == '\r' || c == '\n' || c == '\0'; }

// Bytes a request target may not hold as they are (RFC 9112, 3.2: no whitespace or controls;
// past ASCII only as percent-encoded UTF-8).
bool needs_encoding(unsigned char c) { return c <= 0x20 || c >= 0x7f; }

std::string named(char c) {
    switch (c) {
        case '\r': return "a carriage return (CR)";
        case '\n': return "a line feed (LF)";
        case '\0': return "a NUL byte";
        case ' ': return "a space";
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(c));
            return std::string("the control byte ") + hex;
        }
    }
}

}  // namespace

std::optional<std::string> header_value_problem(std::string_view value) {
    for (const char c : value)
        if (line_breaking(c)) return "a header value cannot hold " + named(c) + ": it would end the header line";
    return std::nullopt;
}

std::optional<std::string> header_name_problem(std::string_view name) {
    static constexpr std::string_view others = "!#$%&'*+-.^_`|~";
    if (name.empty()) return "a header name cannot be empty";
    for (const char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (!((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || others.find(c) != others.npos))
            return "a header name is letters, digits and !#$%&'*+-.^_`|~ only: '" + std::string(name.substr(0, 60)) +
                   "' has " + (u > 0x20 && u < 0x7f ? "'" + std::string(1, c) + "'" : named(c));
    }
    return std::nullopt;
}

std::optional<std::string> path_text_problem(std::string_view text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (line_breaking(c) || u <= 0x20 || u == 0x7f)
            return "a path cannot hold " + named(c) + (c == ' ' ? " (write a space as %20)" : "");
    }
    return std::nullopt;
}

bool make_request_target(std::string& wire, std::size_t from) {
    bool encode = false;
    for (std::size_t i = from; i < wire.size(); ++i) {
        if (line_breaking(wire[i])) return false;
        encode = encode || needs_encoding(static_cast<unsigned char>(wire[i]));
    }
    if (!encode) return true;  // the common case: nothing copied
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string safe;
    for (std::size_t i = from; i < wire.size(); ++i) {
        const auto u = static_cast<unsigned char>(wire[i]);
        if (needs_encoding(u)) safe.append({'%', digits[u >> 4], digits[u & 15]});
        else safe += wire[i];
    }
    wire.replace(from, std::string::npos, safe);
    return true;
}

}  // namespace stampede::lang
