#pragma once
// Reads one HTTP/1.1 response with Beast's parser but without building a message: the status
// and keep-alive are always kept; the body and headers only when the step inspects them (its
// checks, extractions, JSON-RPC). Nothing is allocated for a response nobody looks at.
// Included by http_user.cpp only (it pulls in Beast).
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "worker/kept_response.hpp"

namespace stampede::worker {

class response_reader final : public boost::beast::http::basic_parser<false> {
public:
    using header_list = kept_response::header_list;

    // `body` and `headers`, when given, receive the response's; they are cleared first and
    // keep their capacity from one response to the next.
    response_reader(std::string* body, header_list* headers) : body_(body), headers_(headers) {
        if (body_) body_->clear();
        if (headers_) headers_->clear();
    }

    unsigned status() const { return status_; }
    std::size_t body_bytes() const { return body_bytes_; }

    // Feeds what `buffer` holds (a Beast dynamic buffer) to the parser, consuming what it
    // took. True when the response is complete (or `ec` is set); false when it needs more.
    template <class DynamicBuffer>
    bool feed(DynamicBuffer& buffer, boost::beast::error_code& ec) {
        while (buffer.size() > 0) {
            const auto used = put(buffer.data(), ec);
            buffer.consume(used);
            if (ec == boost::beast::http::error::need_more) {
                ec = {};
                return false;
            }
            if (ec || is_done()) return true;
            if (used == 0) return false;
        }
        return is_done();
    }

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}
    void on_response_impl(int code, string_view, int, error_code&) override { status_ = static_cast<unsigned>(code); }
    void on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code&) override {
        if (headers_) headers_->emplace_back(std::string(name), std::string(value));
    }
    void on_header_impl(error_code&) override {}
    // The length is the server's word: Beast 1.74, parsing eagerly, calls this even for a
    // length it has just refused as past the body limit (`ec` set). Reserve only for a length it
    // accepted, and never more than a first slice: the body grows as it comes.
    void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override {
        if (body_ && length && !ec) body_->reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, max_reserve)));
    }
    static constexpr std::uint64_t max_reserve = 1 << 20;
    std::size_t on_body_impl(string_view data, error_code&) override { return take(data); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code&) override { return take(data); }
    void on_finish_impl(error_code&) override {}

    std::size_t take(string_view data) {
        body_bytes_ += data.size();
        if (body_) body_->append(data.data(), data.size());
        return data.size();
    }

    std::string* body_;
    header_list* headers_;
    unsigned status_ = 0;
    std::size_t body_bytes_ = 0;
};

}  // namespace stampede::worker
