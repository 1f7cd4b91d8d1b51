#include "common/utf8.hpp"

#include <algorithm>

namespace stampede::common {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::size_t utf8_sequence_length(std::string_view s) {
    if (s.empty()) return 0;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(0);
    if (b0 < 0x80) return 1;
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        if (b0 == 0xE0) low = 0xA0;   // no overlong forms
        if (b0 == 0xED) high = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        if (b0 == 0xF0) low = 0x90;
        if (b0 == 0xF4) high = 0x8F;  // nothing past U+10FFFF
    } else {
        return 0;
    }
    if (s.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    return length;
}

std::size_t first_invalid_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const auto n = utf8_sequence_length(text.substr(at));
        if (n == 0) return at;
        at += n;
    }
    return utf8_all;
}

std::string valid_utf8_prefix(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    for (std::size_t at = 0; at < text.size();) {
        const auto n = utf8_sequence_length(text.substr(at));
        const std::string_view piece = n ? text.substr(at, n) : replacement;
        if (out.size() + piece.size() > max_bytes) break;
        out.append(piece);
        at += n ? n : 1;
    }
    return out;
}

std::string shortened_utf8(std::string_view text, std::size_t max_bytes) {
    std::string out = valid_utf8_prefix(text, max_bytes);
    if (text.size() > max_bytes) out += "...";
    return out;
}

}  // namespace stampede::common
