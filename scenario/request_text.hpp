#pragma once
// What may stand in a request line and a header line. A path or a header value holding a line
// break would end the line early and let the rest be read as headers or as a second request
// nobody wrote (request smuggling); a NUL is cut or refused by servers in ways nobody can
// predict. Such text is refused where it is written (the loader, with line and column) and where
// templates render it (the engine, a failed request of its own kind); spaces and other bytes a
// request target may not hold are percent-encoded, as a browser does.
#include <optional>
#include <string>
#include <string_view>

namespace stampede::lang {

// Why `value` cannot be a header's value (a CR, LF or NUL), or none.
std::optional<std::string> header_value_problem(std::string_view value);
// Why `name` cannot be a header's name (not an RFC 9110 token), or none.
std::optional<std::string> header_name_problem(std::string_view name);
// Why text written in a path cannot stand in a request target as written: a line break, NUL,
// space or other control byte. None for text a request target may hold.
std::optional<std::string> path_text_problem(std::string_view text);

// The codes of a failed request of kind `request`: what held the line break.
inline constexpr int unsafe_path_code = 1;
inline constexpr int unsafe_header_code = 2;

// A rendered request target, from `wire[from]` on, made safe in place: spaces, control bytes,
// DEL and bytes past ASCII percent-encoded. False, untouched, when it holds a CR, LF or NUL.
bool make_request_target(std::string& wire, std::size_t from);

}  // namespace stampede::lang
