#pragma once
// The demo target's routes, by name: what it counts, delays and fails per route.
#include <cstddef>
#include <optional>
#include <string_view>

namespace stampede::demo {

enum class route { state, workflow, jsonrpc, training, health, ok, events, chat, completions, not_found, count_ };
inline constexpr std::size_t route_count = static_cast<std::size_t>(route::count_);
std::string_view route_name(route r);
std::optional<route> route_from_name(std::string_view name);

}  // namespace stampede::demo
