#include "scenario/testing/fake_template_scope.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::lang::testing {

template_scope fake_template_scope() {
    template_scope scope;
    scope.variable = [](std::string_view name) -> std::optional<std::uint32_t> {
        if (name == "job_id") return 0;
        if (name == "note") return 1;
        return std::nullopt;
    };
    scope.variable_names = [] { return std::vector<std::string>{"job_id", "note"}; };
    scope.data_column = [](std::string_view set, std::string_view column) -> common::result<data_column_ref> {
        if (set == "queries" && column == "query") return data_column_ref{0, 0};
        if (set == "queries" && column == "complexity") return data_column_ref{0, 1};
        return common::fail("data set 'queries' has no column '" + std::string(column) + "'");
    };
    scope.environment = [](const std::string& name) -> std::optional<std::string> {
        if (name == "API_KEY") return std::string("k-123");
        return std::nullopt;
    };
    return scope;
}

}  // namespace stampede::lang::testing
