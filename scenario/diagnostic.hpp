#pragma once
// A problem found in a scenario file, at its line and column: what every part of the loader
// reports, and what `validate` and a refused run print as "path:line:column: message".
#include <string>

namespace stampede::lang {

struct diagnostic {
    int line = 0;    // 1-based
    int column = 0;  // 1-based
    std::string message;
};

}  // namespace stampede::lang
