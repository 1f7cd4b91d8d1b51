#pragma once
// Sizes as scenarios write them: 16MiB, 512KiB, 1GiB, or a number of bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::common {

// nullopt with the reason in `error` for anything else (decimal units too: MB is ambiguous).
std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string* error = nullptr);

}  // namespace stampede::common
