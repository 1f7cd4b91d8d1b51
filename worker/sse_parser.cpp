#include "worker/sse_parser.hpp"

#include <charconv>
#include <utility>

#include "common/utf8.hpp"

namespace stampede::worker {

namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

common::failure too_long(std::size_t bound) {
    return common::fail("a line or an event past " + std::to_string(bound) + " bytes");
}

}  // namespace

void sse_parser::skip_mark(std::string_view& bytes) {
    while (!started_ && !bytes.empty()) {
        if (bytes.front() == byte_order_mark[mark_matched_]) {
            bytes.remove_prefix(1);
            started_ = ++mark_matched_ == byte_order_mark.size();
        } else {
            line_.assign(byte_order_mark.substr(0, mark_matched_));  // a mark begun, not finished: the first line's
            started_ = true;
        }
    }
}

common::result<std::optional<std::string_view>> sse_parser::next_line(std::string_view& bytes) {
    if (std::exchange(line_taken_, false)) line_.clear();
    if (after_cr_ && !bytes.empty()) {
        after_cr_ = false;
        if (bytes.front() == '\n') bytes.remove_prefix(1);  // the LF of a CRLF split over two pieces
    }
    const auto end = bytes.find_first_of("\r\n");
    const auto piece = bytes.substr(0, end);
    if (line_.size() + piece.size() > limits_.max_event_bytes) return too_long(limits_.max_event_bytes);
    if (end == std::string_view::npos) {
        line_.append(piece);
        bytes = {};
        return std::optional<std::string_view>();
    }
    if (bytes[end] == '\r') {
        if (end + 1 == bytes.size()) after_cr_ = true;
        else if (bytes[end + 1] == '\n') bytes.remove_prefix(1);
    }
    bytes.remove_prefix(end + 1);
    if (line_.empty()) return std::optional<std::string_view>(piece);
    line_.append(piece);
    line_taken_ = true;
    return std::optional<std::string_view>(line_);
}

common::status sse_parser::take_line(std::string_view line, bool& dispatch) {
    if (line.empty()) {
        dispatch = !data_.empty();
        if (!dispatch) reset_event();  // fields with no data: nothing to dispatch
        return {};
    }
    if (const auto bad = common::first_invalid_utf8(line); bad != common::utf8_all)
        return common::fail("a line that is not UTF-8 (byte " + std::to_string(bad + 1) + ")");
    if (line.front() == ':') return {};  // a comment: a keep-alive, say
    const auto colon = line.find(':');
    const auto field = line.substr(0, colon);
    auto value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    event_bytes_ += line.size();
    if (event_bytes_ > limits_.max_event_bytes) return too_long(limits_.max_event_bytes);
    has_fields_ = true;
    if (field == "data") data_.append(value).push_back('\n');
    else if (field == "event") type_.assign(value);
    else if (field == "id" && value.find('\0') == std::string_view::npos) id_.assign(value);
    else if (field == "retry") {
        std::uint32_t ms = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec == std::errc() && end == value.data() + value.size() && !value.empty()) retry_ms_ = ms;
    }
    return {};
}

sse_event sse_parser::current() const {
    std::string_view data = data_;
    if (!data.empty()) data.remove_suffix(1);  // the last data line's LF
    return {type_.empty() ? std::string_view("message") : std::string_view(type_), data, id_, retry_ms_};
}

void sse_parser::reset_event() {
    data_.clear();
    type_.clear();
    retry_ms_.reset();
    event_bytes_ = 0;
    has_fields_ = false;
}

}  // namespace stampede::worker
