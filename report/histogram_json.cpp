#include "report/histogram_json.hpp"

#include "common/base64.hpp"
#include "stats/histogram_codec.hpp"

namespace stampede::report {

namespace {

constexpr const char* encoding = "stampede-sparse-v1+base64";

}  // namespace

nlohmann::json histogram_to_json(const stats::histogram& h) {
    return {{"unit", "us"}, {"encoding", encoding}, {"data", common::base64_encode(stats::encode_histogram(h))}};
}

common::result<stats::histogram> histogram_from_json(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("data") || !j["data"].is_string())
        return common::fail("a histogram is an object with its encoded \"data\"");
    if (j.value("encoding", std::string(encoding)) != encoding)
        return common::fail("a histogram's encoding is not " + std::string(encoding));
    auto bytes = common::base64_decode(j["data"].get<std::string>());
    if (!bytes) return common::fail("a histogram's data is not base64");
    return stats::decode_histogram(*bytes);
}

}  // namespace stampede::report
