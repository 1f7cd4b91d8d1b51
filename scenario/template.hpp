#pragma once
// Templated text: "/agent/{{ random_int(1, 1000) }}/state". A template is compiled once, when
// the scenario loads, into literal pieces and expressions; rendering walks that list and never
// parses text again. Unknown functions, bad arguments, undefined variables and unknown data
// columns are compile errors, so they surface in `stampede validate`.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace stampede::lang {

enum class template_function : std::uint8_t {
    random_int,      // random_int(low, high): inclusive bounds
    random_choice,   // random_choice('a', 'b', ...)
    uuid,            // a random version-4 UUID
    counter,         // the user's own counter: 1, 2, 3, ... per call
    global_counter,  // one counter shared by every user of the worker process
    user_index,      // the user's index in its worker process, from 0
    timestamp,       // Unix time in seconds
    timestamp_ms,    // Unix time in milliseconds
    now_iso,         // UTC time as 2026-11-23T20:40:00.123Z
    variable,        // a user variable (vars, extract)
    data_column,     // data.SET.COLUMN: a column of the user's current row
};

struct template_expression {
    template_function function = template_function::variable;
    std::int64_t low = 0, high = 0;    // random_int
    std::vector<std::string> choices;  // random_choice
    std::uint32_t slot = 0;            // variable slot, or data set index
    std::uint32_t column = 0;          // data column index
    bool numeric() const;              // renders as a number (written bare in JSON bodies)
};

struct template_part {
    std::string literal;                          // text before the expression (or alone)
    std::optional<template_expression> expression;
    bool json_string = false;                     // escape the expression's value for a JSON string
};

struct text_template {
    std::string source;  // as written, for names and messages
    std::vector<template_part> parts;

    bool constant() const { return parts.size() <= 1 && (parts.empty() || !parts[0].expression); }
    // The text of a constant template.
    const std::string& text() const;
    // Variable slots and data sets it reads.
    std::vector<std::uint32_t> variables() const;
    std::vector<std::uint32_t> data_sets() const;
};

// A data set's column, by index: `data.queries.query` compiled.
struct data_column_ref {
    std::uint32_t set = 0, column = 0;
};

// What compiling needs to know about the scenario: variables and data sets by name, and the
// environment (read once, at load time).
struct template_scope {
    std::function<std::optional<std::uint32_t>(std::string_view)> variable;
    std::function<std::vector<std::string>()> variable_names;  // for did-you-mean
    // Finds data set `set` and its `column`, or says why not.
    std::function<common::result<data_column_ref>(std::string_view set, std::string_view column)> data_column;
    std::function<std::optional<std::string>(const std::string&)> environment;
};

struct template_error {
    std::size_t offset = 0;  // into the source text
    std::string message;
};

// Compiles `source`. On errors, returns what it could and appends every problem to `errors`.
text_template compile_template(std::string_view source, const template_scope& scope, std::vector<template_error>& errors);
// A whole-string expression that is numeric: `{{ random_int(1, 9) }}` alone.
bool is_single_numeric(const text_template& t);

// What rendering reads from the user running it.
class template_context {
public:
    virtual ~template_context() = default;
    virtual std::uint64_t random_below(std::uint64_t bound) = 0;  // uniform in [0, bound)
    virtual std::string_view variable(std::uint32_t slot) = 0;
    // Whether the variable has a value (an empty one counts): a header waits for its variables.
    virtual bool has_variable(std::uint32_t slot) = 0;
    virtual std::string_view data_value(std::uint32_t set, std::uint32_t column) = 0;
    virtual std::uint64_t next_counter() = 0;
    virtual std::uint64_t next_global_counter() = 0;
    virtual std::uint64_t user_index() = 0;
};

// Appends the rendered text to `out`.
void render_template(const text_template& t, template_context& context, std::string& out);
// Appends `value` escaped for the inside of a JSON string.
void append_json_escaped(std::string_view value, std::string& out);

}  // namespace stampede::lang
