#pragma once
// The result files a command will write, checked before it does anything: none may be a file
// it reads (`--json s.yaml` once overwrote the scenario) or another result (`--json x --html x`
// kept one of the two). Paths are compared as the files they name: through `..`, symbolic
// links and hard links.
#include <string>
#include <vector>

#include "common/result.hpp"

namespace stampede::cli {

struct named_path {
    std::string what;  // how a message names it: "--json", "the scenario (-f)"
    std::string path;
};

// Why an output cannot be written where it is asked to, or ok. Empty paths are ignored.
common::status check_output_paths(const std::vector<named_path>& outputs, const std::vector<named_path>& inputs);

}  // namespace stampede::cli
