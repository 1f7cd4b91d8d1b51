#include "master/histogram_json.hpp"

#include <openssl/evp.h>

#include "stats/histogram_codec.hpp"

namespace stampede::master {

namespace {

constexpr const char* encoding = "stampede-sparse-v1+base64";

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

common::result<std::string> from_base64(const std::string& text) {
    if (text.size() % 4 != 0) return common::fail("a histogram's data is not base64");
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (n < 0) return common::fail("a histogram's data is not base64");
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

}  // namespace

nlohmann::json histogram_to_json(const stats::histogram& h) {
    return {{"unit", "us"}, {"encoding", encoding}, {"data", base64(stats::encode_histogram(h))}};
}

common::result<stats::histogram> histogram_from_json(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("data") || !j["data"].is_string())
        return common::fail("a histogram is an object with its encoded \"data\"");
    if (j.value("encoding", std::string(encoding)) != encoding)
        return common::fail("a histogram's encoding is not " + std::string(encoding));
    auto bytes = from_base64(j["data"].get<std::string>());
    if (!bytes) return bytes.why();
    return stats::decode_histogram(*bytes);
}

}  // namespace stampede::master
