#include "common/byte_size.hpp"

#include <charconv>

namespace stampede::common {

result<std::uint64_t> parse_byte_size(std::string_view text) {
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    int shift = -1;
    if (unit.empty() || unit == "B") shift = 0;
    else if (unit == "KiB") shift = 10;
    else if (unit == "MiB") shift = 20;
    else if (unit == "GiB") shift = 30;
    if (ec != std::errc() || end == text.data() || shift < 0 || number > (UINT64_MAX >> shift))
        return fail("invalid size '" + std::string(text) + "' (examples: 16MiB, 512KiB, 1GiB, 4096)");
    return number << shift;
}

}  // namespace stampede::common
