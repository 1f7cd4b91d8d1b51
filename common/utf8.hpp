#pragma once
// UTF-8 validity. Every text that crosses the control channel travels in a protobuf `string`,
// which must be valid UTF-8 or the whole message fails to encode; response bodies, headers
// and environment values are whatever a server or a shell gave us. These make any such text
// safe: cut on a character boundary, invalid bytes replaced by U+FFFD so they stay visible.
#include <cstddef>
#include <string>
#include <string_view>

namespace stampede::common {

inline constexpr std::size_t utf8_all = std::string_view::npos;

// Length of the valid UTF-8 sequence at the start of `text` (RFC 3629, section 4), or 0 when
// it does not start one (an invalid byte, or a sequence cut short).
std::size_t utf8_sequence_length(std::string_view text);

// Offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or utf8_all when the text is valid.
std::size_t first_invalid_utf8(std::string_view text);
inline bool is_valid_utf8(std::string_view text) { return first_invalid_utf8(text) == utf8_all; }

// `text` with each invalid byte replaced by U+FFFD, at most `max_bytes` long, never cutting
// a character in two.
std::string valid_utf8_prefix(std::string_view text, std::size_t max_bytes = utf8_all);

// For quoting in a message: the valid prefix of at most `max_bytes`, and "..." when it was cut.
std::string shortened_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace stampede::common
