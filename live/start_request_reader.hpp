#pragma once
// A start or a change of the load as POST /api/swarm gives it, read from its body: JSON, or a
// form as Locust's page posts it.
#include "common/result.hpp"
#include "live/http_server.hpp"
#include "live/run_names.hpp"

namespace stampede::live {

// The request's fields, checked for their kind and range; the error names the field.
common::result<start_request> read_start_request(const http_request& r);

}  // namespace stampede::live
