#pragma once
#include <optional>
#include <string>

namespace stampede::common {

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace stampede::common
