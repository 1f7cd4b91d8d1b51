#pragma once
// A data file a scenario reads values from: a CSV file with a header row, loaded whole when
// the scenario loads (the master reads it and sends it to its workers).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace stampede::lang {

struct data_set {
    enum class order : std::uint8_t { sequential, random };
    enum class scope : std::uint8_t { shared, per_user };  // shared: one cursor per worker process
    std::string name;
    std::string file;  // as the scenario names it
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    order pick = order::sequential;
    scope sharing = scope::shared;
};

struct csv_table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

// RFC 4180 CSV: the first record names the columns; quoted fields may hold commas, quotes
// (doubled) and line breaks; blank lines are skipped. On error, `error` says which line.
common::result<csv_table> parse_csv(std::string_view text);

// Whether a column can be named in a template (data.SET.COLUMN): letters, digits and '_', at
// most 64 characters.
bool is_column_name(std::string_view name);
// The columns for a message: those a template can name, and how many others. A header row is
// whatever the file's first line held (a file of secrets read by mistake, binary bytes): only
// names are ever quoted back, never the rest of that line.
std::string nameable_columns(const std::vector<std::string>& columns);

}  // namespace stampede::lang
