# Writes OUTPUT, a C++ file that defines one std::string_view per file of FILES (NAME=PATH
# pairs, ';'-separated) in namespace stampede::web: front-end assets compiled into the binary,
# so a report opens offline and the web UI needs no files beside the executable.
file(WRITE "${OUTPUT}.tmp" "// Generated from web/ when building: do not edit.\n#include <string_view>\n\nnamespace stampede::web {\n")
foreach(pair IN LISTS FILES)
  string(REPLACE "=" ";" parts "${pair}")
  list(GET parts 0 name)
  list(GET parts 1 path)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  file(APPEND "${OUTPUT}.tmp" "namespace { constexpr char ${name}_bytes[] = {${bytes} 0}; }\n")
  file(APPEND "${OUTPUT}.tmp" "extern const std::string_view ${name}{${name}_bytes, ${size}};\n")
endforeach()
file(APPEND "${OUTPUT}.tmp" "}  // namespace stampede::web\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
