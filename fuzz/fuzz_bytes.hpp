#pragma once
// Cuts a fuzzer's input into the pieces a target needs: small numbers, length-prefixed chunks,
// lines, the rest. Reading past the end yields zeros and empty pieces, so every input is a
// valid program for the target and the fuzzer can shorten it freely.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stampede::fuzz {

class fuzz_bytes {
public:
    fuzz_bytes(const std::uint8_t* data, std::size_t size)
        : text_(reinterpret_cast<const char*>(data), size) {}

    bool empty() const { return text_.empty(); }
    std::size_t size() const { return text_.size(); }

    std::uint8_t byte() {
        if (text_.empty()) return 0;
        const auto b = static_cast<std::uint8_t>(text_.front());
        text_.remove_prefix(1);
        return b;
    }
    // Two bytes, little-endian.
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
    // A chunk whose length (two bytes) comes first; shorter when the input ends.
    std::string_view chunk() { return take(u16()); }
    // Up to (not including) `separator`, which is consumed; the rest when there is none.
    std::string_view until(char separator) {
        const auto at = text_.find(separator);
        const auto piece = text_.substr(0, at);
        text_.remove_prefix(at == std::string_view::npos ? text_.size() : at + 1);
        return piece;
    }
    std::string_view take(std::size_t n) {
        const auto piece = text_.substr(0, n);
        text_.remove_prefix(piece.size());
        return piece;
    }
    std::string_view rest() { return take(text_.size()); }

private:
    std::string_view text_;
};

}  // namespace stampede::fuzz
