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

}  // namespace stampede::lang
