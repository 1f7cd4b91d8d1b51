#pragma once
// The body and headers of the last response a user's step kept for its checks and
// extractions: owned by the user, made on the first step that keeps one, written by the
// exchange that carries the step (an HTTP response, a WebSocket message) and read by the user
// runtime's checks straight after, so the runtime never asks the exchange a second time.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/core/string.hpp>

#include "scenario/response_checks.hpp"

namespace stampede::worker {

struct kept_response {
    using header_list = std::vector<std::pair<std::string, std::string>>;

    std::string body;
    header_list headers;  // as they came, names in the server's case

    // The first header named `name`, in any case.
    std::optional<std::string_view> header(std::string_view name) const {
        for (const auto& [n, v] : headers)
            if (boost::beast::iequals(n, name)) return std::string_view(v);
        return std::nullopt;
    }
    // Points `view` at this body and these headers; valid until the next step writes here.
    void describe(lang::response_view& view) const {
        view.body = body;
        view.header = [this](std::string_view name) { return header(name); };
    }
};

}  // namespace stampede::worker
