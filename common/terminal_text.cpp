#include "common/terminal_text.hpp"

#include <cstdio>

#include "common/utf8.hpp"

namespace stampede::common {

namespace {

// The length a UTF-8 sequence starting with `lead` has, or 0 for a byte no sequence starts with.
std::size_t announced_length(unsigned char lead) {
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

// Whether `partial`, shorter than the sequence its lead announces, may still become a valid one
// (RFC 3629: E0 wants A0-BF next, ED 80-9F, F0 90-BF, F4 80-8F; every other byte 80-BF).
bool may_complete(std::string_view partial) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(partial[i]); };
    if (partial.empty() || announced_length(b(0)) <= partial.size()) return false;
    unsigned char low = 0x80, high = 0xBF;
    if (b(0) == 0xE0) low = 0xA0;
    if (b(0) == 0xED) high = 0x9F;
    if (b(0) == 0xF0) low = 0x90;
    if (b(0) == 0xF4) high = 0x8F;
    if (partial.size() > 1 && (b(1) < low || b(1) > high)) return false;
    for (std::size_t i = 2; i < partial.size(); ++i)
        if (b(i) < 0x80 || b(i) > 0xBF) return false;
    return true;
}

char32_t decoded(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
    switch (s.size()) {
        case 1: return b(0);
        case 2: return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
        case 3: return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
        default: return (b(0) & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F);
    }
}

// Unicode's bidirectional formatting characters (UAX #9): marks, embeddings, overrides, isolates.
bool bidirectional_control(char32_t c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool control(char32_t c) { return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F); }

void append_escaped(char32_t c, std::string& out) {
    char text[8];
    std::snprintf(text, sizeof text, "\\u%04X", static_cast<unsigned>(c));
    out += text;
}

void append_byte(unsigned char b, std::string& out) {
    char text[8];
    std::snprintf(text, sizeof text, "\\x%02X", b);
    out += text;
}

}  // namespace

void terminal_escaper::feed(std::string_view piece, std::string& out) {
    std::string joined;
    if (!held_.empty()) {
        joined = held_ + std::string(piece);
        piece = joined;
        held_.clear();
    }
    for (std::size_t at = 0; at < piece.size();) {
        const auto lead = static_cast<unsigned char>(piece[at]);
        const auto n = utf8_sequence_length(piece.substr(at));
        if (n == 0) {
            // A sequence cut at the end of this piece may be finished by the next.
            if (may_complete(piece.substr(at))) {
                held_ = std::string(piece.substr(at));
                return;
            }
            append_byte(lead, out);
            ++at;
            continue;
        }
        const auto sequence = piece.substr(at, n);
        const auto c = decoded(sequence);
        if (control(c) || bidirectional_control(c)) append_escaped(c, out);
        else out.append(sequence);
        at += n;
    }
}

void terminal_escaper::finish(std::string& out) {
    for (const char b : held_) append_byte(static_cast<unsigned char>(b), out);
    held_.clear();
}

std::string terminal_safe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    terminal_escaper e;
    e.feed(text, out);
    e.finish(out);
    return out;
}

}  // namespace stampede::common
