#pragma once
// Reading the files a user names: a scenario, its data files, TLS keys and certificates; and
// writing the result files a user asks for.
// The size limit is enforced while reading (never more than limit + 1 bytes are read), and
// only regular files are read, so /dev/zero or a FIFO ends in a clear error, not in memory;
// nor files of the kernel's file systems (/proc/self/environ is "regular" but is the process's
// environment).
#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace stampede::common {

// The whole file, or why not ("is not a regular file", "is on procfs (/proc) ...", "is larger
// than 64 MiB", the system's reason for not opening it).
result<std::string> read_text_file(const std::string& path, std::size_t max_bytes);

// The file, created or replaced as a whole (a temporary file beside it renamed into place; a
// symbolic link at PATH is replaced, not followed), holding `text`; or "cannot write PATH: the
// system's reason".
status write_text_file(const std::string& path, std::string_view text);

// "64 MiB", "512 KiB", "100 bytes": a limit as messages state it.
std::string format_bytes(std::size_t bytes);

}  // namespace stampede::common
