#include "scenario/data_set.hpp"

#include <algorithm>
#include <cctype>

namespace stampede::lang {

bool is_column_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 &&
           std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

std::string nameable_columns(const std::vector<std::string>& columns) {
    std::string names;
    std::size_t others = 0;
    for (const auto& c : columns) {
        if (is_column_name(c)) names += (names.empty() ? "" : ", ") + c;
        else ++others;
    }
    if (names.empty()) return "no column a template can name: is its first line a header row of names?";
    return "its columns: " + names +
           (others ? "; and " + std::to_string(others) + " that no template can name (letters, digits and '_')" : "");
}

namespace {

// What is wrong with a table's header and rows as a whole, if anything.
std::string header_problem(const csv_table& table) {
    if (table.columns.empty()) return "no header row";
    for (std::size_t i = 0; i < table.columns.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (table.columns[i] == table.columns[j])
                return is_column_name(table.columns[i])
                           ? "column '" + table.columns[i] + "' appears twice"
                           : "column " + std::to_string(i + 1) + " repeats column " + std::to_string(j + 1);
    if (table.rows.empty()) return "no data rows under the header";
    return {};
}

}  // namespace

common::result<csv_table> parse_csv(std::string_view text) {
    csv_table table;
    std::vector<std::string> record;
    std::string field;
    int line = 1, record_line = 1;
    bool quoted = false, field_started = false;
    auto fail = [](int at, std::string why) { return common::fail("line " + std::to_string(at) + ": " + why); };
    auto end_record = [&]() -> std::string {
        const bool blank = record.empty() && field.empty() && !field_started;
        if (blank) return {};
        record.push_back(std::move(field));
        field.clear();
        field_started = false;
        if (table.columns.empty()) {
            table.columns = std::move(record);
        } else if (record.size() != table.columns.size()) {
            return "has " + std::to_string(record.size()) + " field(s), the header has " + std::to_string(table.columns.size());
        } else {
            table.rows.push_back(std::move(record));
        }
        record.clear();
        return {};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = field_started = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            field_started = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (auto why = end_record(); !why.empty()) return fail(record_line, why);
            record_line = ++line;
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted) return fail(record_line, "a quoted field is not closed");
    if (auto why = end_record(); !why.empty()) return fail(record_line, why);
    if (auto why = header_problem(table); !why.empty()) return fail(1, why);
    return table;
}

}  // namespace stampede::lang
