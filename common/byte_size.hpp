#pragma once
// Sizes as scenarios write them: 16MiB, 512KiB, 1GiB, or a number of bytes.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace stampede::common {

// The size in bytes; anything else fails with the reason (decimal units too: MB is ambiguous).
result<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace stampede::common
