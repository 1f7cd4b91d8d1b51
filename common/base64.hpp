#pragma once
// Base64 (RFC 4648, with padding) through OpenSSL: histograms in the JSON result, HTTP Basic
// credentials.
#include <optional>
#include <string>
#include <string_view>

namespace stampede::common {

std::string base64_encode(std::string_view bytes);
// None when `text` is not padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace stampede::common
